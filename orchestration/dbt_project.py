"""The dbt project as Dagster sees it, and the environment dbt runs in."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

from dagster_dbt import DbtProject

from orchestration.settings import PROJECT_DIR, Settings


def dbt_project() -> DbtProject:
    """The revops dbt project (profiles.yml lives in the repository)."""
    return DbtProject(project_dir=PROJECT_DIR, profiles_dir=PROJECT_DIR)


def dbt_executable() -> str:
    """The dbt installed beside this Python (the venv's), falling back to PATH."""
    candidate = Path(sys.executable).with_name("dbt")
    return str(candidate) if candidate.exists() else "dbt"


@contextlib.contextmanager
def dbt_env(settings: Settings) -> Iterator[None]:
    """Export the settings as the REVOPS_* variables profiles.yml reads, then restore."""
    saved = {k: os.environ.get(k) for k in settings.to_env()}
    os.environ.update(settings.to_env())
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def prepare_manifest(settings: Settings | None = None, quiet: bool = True) -> Path:
    """Run ``dbt parse`` so Dagster can load target/manifest.json (partial parsing keeps it fast).

    dagster-dbt only prepares the manifest itself under ``dagster dev``; the CLI, tests and CI
    call this first.
    """
    settings = settings or Settings.from_env()
    project = dbt_project()
    env = {**os.environ, **settings.to_env()}
    cmd = [
        dbt_executable(),
        "parse",
        "--project-dir",
        str(PROJECT_DIR),
        "--profiles-dir",
        str(PROJECT_DIR),
    ]
    if quiet:
        cmd.append("--quiet")
    result = subprocess.run(cmd, env=env, cwd=PROJECT_DIR, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"dbt parse failed:\n{result.stdout}\n{result.stderr}")
    return project.manifest_path
