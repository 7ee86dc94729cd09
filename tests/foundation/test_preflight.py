"""Preflight: a warehouse that cannot be used fails the command at once, with one message."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from orchestration.preflight import warehouse_problem
from orchestration.settings import PostgresSettings, Settings
from tests.conftest import run_revops

pytestmark = pytest.mark.reliability  # a case of issue 20's campaign (docs/reliability.md)


def test_a_usable_duckdb_file_passes(tmp_path: Path) -> None:
    settings = Settings.from_env().with_(target="duckdb", duckdb_path=tmp_path / "w.duckdb")
    assert warehouse_problem(settings) is None
    assert not (tmp_path / "w.duckdb").exists()  # the preflight creates nothing
    duckdb.connect(str(tmp_path / "w.duckdb")).close()
    assert warehouse_problem(settings) is None


def test_a_file_that_is_not_duckdb_is_named(tmp_path: Path) -> None:
    path = tmp_path / "w.duckdb"
    path.write_text("name,email\n")
    settings = Settings.from_env().with_(target="duckdb", duckdb_path=path)
    problem = warehouse_problem(settings)
    assert problem is not None and str(path) in problem


def test_a_locked_warehouse_stops_the_command_before_it_starts(tmp_path: Path) -> None:
    path = tmp_path / "w.duckdb"
    writer = duckdb.connect(str(path))  # a second process holds the file: this one
    try:
        result = run_revops(
            "build", "--duckdb-path", str(path), env={"DAGSTER_HOME": str(tmp_path / "home")}
        )
    finally:
        writer.close()
    assert result.returncode == 2
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "locked" in errors[0] and str(path) in errors[0]
    assert "running job" not in result.stdout  # stopped before Dagster started


@pytest.mark.postgres
def test_a_missing_postgres_database_is_named_once(tmp_path: Path, pg_database: str) -> None:
    missing = f"{pg_database}_missing"
    result = run_revops(
        "build",
        "--target",
        "postgres",
        env={"REVOPS_PG_DATABASE": missing, "DAGSTER_HOME": str(tmp_path / "home")},
        timeout=120,
    )
    assert result.returncode == 2
    output = result.stdout + result.stderr
    errors = [line for line in output.splitlines() if "error" in line.lower()]
    assert len(errors) == 1, output
    assert repr(missing) in errors[0] and "does not exist" in errors[0]


def test_a_password_with_spaces_and_keywords_stays_a_password() -> None:
    from psycopg2.extensions import parse_dsn

    pg = PostgresSettings(password="a b host=evil.example")
    parsed = parse_dsn(pg.dsn())
    assert parsed["password"] == "a b host=evil.example"
    assert parsed["host"] == "127.0.0.1"
