"""`revops load` in a temporary directory, as a user runs it. The whole `revops run` end to end
is the companies' (tests/companies: on DuckDB, and the marketing-crm company on PostgreSQL;
the as_of given with an offset in test_real_world.py)."""

from __future__ import annotations

import duckdb
import pytest

from tests.conftest import run_revops

pytestmark = pytest.mark.slow


def _env(tmp_path, **extra):
    return {
        "REVOPS_DUCKDB_PATH": str(tmp_path / "warehouse.duckdb"),
        "REVOPS_REPORTS_DIR": str(tmp_path / "reports"),
        "DAGSTER_HOME": str(tmp_path / "dagster_home"),
        **extra,
    }


def test_load_only_loads(tmp_path, demo_landing):
    """`revops load` is ingestion: no quality checks, no report line in its summary."""
    run = run_revops("load", "--landing", str(demo_landing), env=_env(tmp_path))
    assert run.returncode == 0, (run.stdout[-4000:], run.stderr[-4000:])
    assert "checks: 0 passed, 0 failed" in run.stdout
    assert "raw_table_suites" not in run.stderr
    assert "report:" not in run.stdout
    assert not (tmp_path / "reports" / "weekly_report.html").exists()
    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"), read_only=True)
    assert con.execute("select count(*) from raw_salesforce.lead").fetchone()[0] > 0
    con.close()
