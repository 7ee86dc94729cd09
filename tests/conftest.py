"""Shared pytest fixtures: a small generated demo company, built once per session."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


@pytest.fixture(scope="session")
def project_dir() -> Path:
    return PROJECT_DIR


@pytest.fixture(scope="session", autouse=True)
def dbt_manifest() -> Path:
    """target/manifest.json, which the Dagster definitions load, prepared once per session.

    A fresh clone has none, and a test that loads the definitions in a subprocess (the browser
    tests' Dagster webserver) cannot prepare it itself.
    """
    from orchestration.dbt_project import prepare_manifest

    return prepare_manifest()


def run_revops(
    *args: str, env: dict[str, str] | None = None, timeout: int = 900
) -> subprocess.CompletedProcess[str]:
    """Run the installed `revops` console script as a user would."""
    exe = BIN / "revops"
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "orchestration.cli"]
    return subprocess.run(
        [*cmd, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
        cwd=PROJECT_DIR,
    )


@pytest.fixture
def pg_database() -> Iterator[str]:
    """A fresh PostgreSQL database on the local server, dropped afterwards."""
    psycopg2 = pytest.importorskip("psycopg2")
    name = f"revops_test_{uuid.uuid4().hex[:10]}"
    try:
        admin = psycopg2.connect(
            host="127.0.0.1", port=5432, user="postgres", dbname="postgres", connect_timeout=5
        )
    except psycopg2.OperationalError as exc:
        pytest.skip(f"no PostgreSQL server on 127.0.0.1:5432: {exc}")
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(f'create database "{name}"')
    try:
        yield name
    finally:
        with admin.cursor() as cur:
            cur.execute(
                "select pg_terminate_backend(pid) from pg_stat_activity where datname = %s",
                (name,),
            )
            cur.execute(f'drop database if exists "{name}"')
        admin.close()


@pytest.fixture(scope="session")
def demo_landing(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small demo company (scale 0.03) generated once per test session."""
    simulator = pytest.importorskip("simulator")
    out = tmp_path_factory.mktemp("landing")
    simulator.generate(out, scale=0.03, seed=7)
    return out


def copy_tree(src: Path, dst: Path) -> Path:
    shutil.copytree(src, dst)
    return dst
