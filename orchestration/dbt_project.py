"""The dbt project as Dagster sees it, and the environment dbt runs in."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator, Mapping
from datetime import datetime
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from orchestration.run_settings import dbt_vars, dbt_vars_args
from orchestration.settings import PROJECT_DIR, Settings

if TYPE_CHECKING:
    from dagster_dbt import DbtProject

TARGET_DIRNAME = "target"  # DbtProject's default target_path: where Dagster reads the manifest
TARGET_ENV = "DBT_TARGET_PATH"  # dbt's and dagster-dbt's own variable for another target folder
MANIFEST_NAME = "manifest.json"
# Written next to the manifest after each successful `dbt parse` of prepare_manifest().
FINGERPRINT_NAME = "revops_manifest_fingerprint.json"
# dbt's partial-parse state (target/partial_parse.msgpack) of the last few parse states,
# by parse_state digest (manifest_fingerprint): a parse for a state seen recently starts from it.
PARTIAL_PARSE_NAME = "partial_parse.msgpack"
PARSE_STATES_DIRNAME = "revops_parse_states"
PARSE_STATES_KEPT = 6
# The folders and files `dbt parse` reads (dbt_project.yml: model-paths, seed-paths, ...).
# Folders that dbt_project.yml names and that are not listed here are added from it.
PROJECT_INPUT_DIRS = ("models", "macros", "seeds", "snapshots", "tests/dbt", "analyses")
PROJECT_INPUT_FILES = (
    "dbt_project.yml",
    "profiles.yml",
    "packages.yml",
    "dependencies.yml",
    "selectors.yml",
    ".dbtignore",
)
PATH_KEYS = (
    "model-paths",
    "seed-paths",
    "macro-paths",
    "snapshot-paths",
    "test-paths",
    "analysis-paths",
    "docs-paths",
)


def target_dir(project_dir: Path | None = None) -> Path:
    """Where ``dbt parse`` writes and Dagster reads the manifest.

    ``target/`` in the project unless DBT_TARGET_PATH names another folder (absolute, or
    relative to the project), as dbt and dagster-dbt read it: two processes that build
    different warehouses at once (e.g. parallel test workers) each keep their own parse.
    """
    configured = Path(os.environ.get(TARGET_ENV) or TARGET_DIRNAME)
    return configured if configured.is_absolute() else (project_dir or PROJECT_DIR) / configured


def dbt_project() -> DbtProject:
    """The revops dbt project (profiles.yml lives in the repository)."""
    from dagster_dbt import DbtProject  # ~1 s of imports: only where Dagster needs it

    return DbtProject(
        project_dir=PROJECT_DIR, profiles_dir=PROJECT_DIR, target_path=target_dir(PROJECT_DIR)
    )


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


def _input_paths(project_dir: Path) -> list[Path]:
    """Every file `dbt parse` may read: the project's folders and top-level files."""
    dirs = set(PROJECT_INPUT_DIRS)
    try:
        import yaml

        config = yaml.safe_load((project_dir / "dbt_project.yml").read_text()) or {}
        for key in PATH_KEYS:
            dirs.update(str(d) for d in config.get(key) or [])
    except (OSError, ValueError, AttributeError, ImportError):
        pass  # the file itself is fingerprinted; a broken one fails the parse it triggers
    files = [project_dir / name for name in PROJECT_INPUT_FILES]
    for name in sorted(dirs):
        folder = project_dir / name
        if folder.is_dir():
            files.extend(p for p in folder.rglob("*") if p.is_file())
    return sorted(f for f in files if f.is_file())


def _version(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "-"


def manifest_fingerprint(
    settings: Settings, project_dir: Path | None = None, as_of: datetime | None = None
) -> dict[str, str]:
    """What a parsed manifest depends on, as two digests.

    ``structure``: the content of every project file dbt reads, the target (its adapter type
    is in the manifest: Dagster's asset kinds) and the dbt versions. This is all the asset
    graph depends on.

    ``parse_state``: what else dbt's partial parsing checks (dbt/parser/manifest.py): the
    profile's connection keys and the command-line vars (a new DuckDB path, PostgreSQL server
    or ``--vars``, here the run's ``as_of``, makes dbt re-parse the whole project: about 7 s
    more than a partial parse). dagster-dbt's ``dbt build`` starts from
    target/partial_parse.msgpack and never writes it back, so the parse is done here with the
    vars the run's dbt steps pass (``as_of``), else every dbt step would pay it again.
    """
    project_dir = project_dir or PROJECT_DIR
    digest = hashlib.sha256()
    for path in _input_paths(project_dir):
        digest.update(path.relative_to(project_dir).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    adapter = f"dbt-{settings.target}"
    digest.update(
        json.dumps(
            [settings.target, _version("dbt-core"), _version(adapter), str(project_dir)]
        ).encode()
    )
    parse_vars = dbt_vars(as_of) if as_of is not None else {}
    return {"structure": digest.hexdigest(), "parse_state": parse_state(settings, parse_vars)}


def parse_state(settings: Settings, parse_vars: Mapping[str, Any]) -> str:
    """What dbt's partial parsing checks beside the project's files, as a digest: the target,
    its connection and the command-line vars."""
    pg = settings.postgres
    connection = (
        [str(settings.duckdb_path)]
        if settings.target == "duckdb"
        else [pg.host, pg.port, pg.user, pg.database]
    )
    text = json.dumps([settings.target, *connection, dict(parse_vars)], sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def _file_stamp(path: Path) -> list[int]:
    stat = path.stat()
    return [stat.st_size, stat.st_mtime_ns]


def _read_fingerprint(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def manifest_is_current(
    settings: Settings,
    for_dbt_build: bool = True,
    project_dir: Path | None = None,
    as_of: datetime | None = None,
) -> bool:
    """Whether the manifest of the last successful prepare_manifest() can be used as it is.

    It must still be the file that parse wrote (another ``dbt parse`` or ``dbt build`` into
    target/ replaces it, perhaps with other settings), and the project must be unchanged. A
    run that builds with dbt also needs the same parse state (see ``manifest_fingerprint``).
    """
    target = target_dir(project_dir)
    manifest = target / MANIFEST_NAME
    if not manifest.exists():
        return False
    stored = _read_fingerprint(target / FINGERPRINT_NAME)
    if stored.get("manifest") != _file_stamp(manifest):
        return False
    current = manifest_fingerprint(settings, project_dir, as_of)
    if stored.get("structure") != current["structure"]:
        return False
    return not for_dbt_build or stored.get("parse_state") == current["parse_state"]


def prepare_manifest(
    settings: Settings | None = None,
    quiet: bool = True,
    *,
    force: bool = False,
    for_dbt_build: bool = True,
    project_dir: Path | None = None,
    as_of: datetime | None = None,
) -> Path:
    """Run ``dbt parse`` so Dagster can load target/manifest.json, unless it is current.

    dagster-dbt only prepares the manifest itself under ``dagster dev``; the CLI, tests and CI
    call this first. The parse (a dbt process: seconds even when partial parsing finds nothing
    to do) is skipped when the manifest is the one the last successful parse here wrote and
    ``manifest_fingerprint`` is unchanged. ``for_dbt_build=False`` (a run that does not build
    with dbt, e.g. ``revops load``) only needs the graph structure to be current.
    ``force=True`` always parses. ``as_of``: the as_of of the run about to start, parsed
    with as its dbt steps will pass it (``--vars``), so that they can parse partially.
    """
    settings = settings or Settings.from_env()
    project_dir = project_dir or PROJECT_DIR
    target = target_dir(project_dir)
    manifest = target / MANIFEST_NAME
    if not force and manifest_is_current(settings, for_dbt_build, project_dir, as_of):
        return manifest
    # Taken before the parse: a file edited while dbt runs makes the next call parse again.
    fingerprint: dict[str, Any] = dict(manifest_fingerprint(settings, project_dir, as_of))
    env = {**os.environ, **settings.to_env()}
    cmd = [
        dbt_executable(),
        "parse",
        "--project-dir",
        str(project_dir),
        "--profiles-dir",
        str(project_dir),
        "--target-path",  # where Dagster reads it
        str(target),
    ]
    if as_of is not None:
        cmd += dbt_vars_args(as_of)
    if quiet:
        cmd.append("--quiet")
    fingerprint_path = target / FINGERPRINT_NAME
    fingerprint_path.unlink(missing_ok=True)
    restore_parse_state(target, fingerprint["parse_state"])
    result = subprocess.run(cmd, env=env, cwd=project_dir, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"dbt parse failed:\n{result.stdout}\n{result.stderr}")
    keep_parse_state(target, fingerprint["parse_state"])
    if manifest.exists():
        fingerprint["manifest"] = _file_stamp(manifest)
        partial = fingerprint_path.with_name(f"{FINGERPRINT_NAME}.{os.getpid()}")
        partial.write_text(json.dumps(fingerprint, indent=2) + "\n")
        os.replace(partial, fingerprint_path)
    return manifest


def _parse_state_file(target: Path, parse_state: str) -> Path:
    return target / PARSE_STATES_DIRNAME / f"{parse_state}.msgpack"


def restore_parse_state(target: Path, parse_state: str) -> bool:
    """Before a parse: dbt's partial-parse state of the last parse with this ``parse_state``, if
    one was kept, in place of the current one (whose profile or vars differ). dbt still checks
    it (project files, profile, vars) and parses in full where it is not current: this only
    saves the full parse (about 5 s of CPU more than a partial one) when a warehouse, target or
    as_of comes back, e.g. runs alternating between DuckDB and PostgreSQL."""
    kept = _parse_state_file(target, parse_state)
    if not kept.is_file():
        return False
    partial = target / f"{PARTIAL_PARSE_NAME}.{os.getpid()}"
    shutil.copyfile(kept, partial)
    os.replace(partial, target / PARTIAL_PARSE_NAME)
    return True


def keep_parse_state(target: Path, parse_state: str) -> None:
    """After a successful parse: keep its partial-parse state under ``parse_state``, with the
    PARSE_STATES_KEPT most recently kept ones (older ones are deleted)."""
    current = target / PARTIAL_PARSE_NAME
    if not current.is_file():
        return
    kept = _parse_state_file(target, parse_state)
    kept.parent.mkdir(parents=True, exist_ok=True)
    partial = kept.with_name(f"{kept.name}.{os.getpid()}")
    shutil.copyfile(current, partial)
    os.replace(partial, kept)
    states = sorted(kept.parent.glob("*.msgpack"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
    for old in states[PARSE_STATES_KEPT:]:
        old.unlink(missing_ok=True)
