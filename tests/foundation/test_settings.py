"""Settings come from the environment with documented defaults; no secret is printed."""

from __future__ import annotations

from pathlib import Path

import pytest

from orchestration.settings import PROJECT_DIR, Settings


def test_defaults_point_into_the_project():
    s = Settings.from_env({})
    assert s.target == "duckdb"
    assert s.duckdb_path == PROJECT_DIR / "data" / "warehouse.duckdb"
    assert s.landing_dir == PROJECT_DIR / "data" / "landing"
    assert s.postgres.database == "revops"


def test_relative_paths_resolve_against_the_project_and_absolute_are_kept(tmp_path: Path):
    s = Settings.from_env({"REVOPS_DUCKDB_PATH": "x/w.duckdb", "REVOPS_LANDING_DIR": str(tmp_path)})
    assert s.duckdb_path == PROJECT_DIR / "x" / "w.duckdb"
    assert s.landing_dir == tmp_path


def test_password_never_appears_in_repr_and_round_trips_through_env():
    s = Settings.from_env({"REVOPS_PG_PASSWORD": "s3cret", "REVOPS_PG_PORT": "6543"})
    assert "s3cret" not in repr(s)
    assert "password=s3cret" in s.postgres.dsn()
    again = Settings.from_env(s.to_env())
    assert again == s


@pytest.mark.parametrize(
    ("env", "message"),
    [({"REVOPS_TARGET": "sqlite"}, "REVOPS_TARGET"), ({"REVOPS_PG_PORT": "abc"}, "REVOPS_PG_PORT")],
)
def test_bad_values_are_named(env, message):
    with pytest.raises(ValueError, match=message):
        Settings.from_env(env)


def test_duckdb_memory_limit_reaches_python_connections_and_dbt(tmp_path: Path):
    """REVOPS_DUCKDB_MEMORY_LIMIT caps the Python steps' connections (dlt borrows them) and is
    passed on to dbt's profile; a value DuckDB cannot read is named."""
    from orchestration.warehouse import connect

    s = Settings.from_env({"REVOPS_DUCKDB_MEMORY_LIMIT": "1GiB"}).with_(
        duckdb_path=tmp_path / "w.duckdb"
    )
    assert s.to_env()["REVOPS_DUCKDB_MEMORY_LIMIT"] == "1GiB"
    for read_only in (False, True):
        with connect(s, read_only=read_only) as con:
            limit = con.execute("select current_setting('memory_limit')").fetchone()[0]
        assert limit == "1.0 GiB", (read_only, limit)
    assert Settings.from_env({}).duckdb_memory_limit == "2GB"
    with (
        pytest.raises(ValueError, match="REVOPS_DUCKDB_MEMORY_LIMIT"),
        connect(s.with_(duckdb_memory_limit="lots")),
    ):
        pass
