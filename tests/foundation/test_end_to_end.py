"""`revops run` end to end in a temporary directory, as a user runs it, on DuckDB and PostgreSQL."""

from __future__ import annotations

import json

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


def test_generate_then_run_builds_the_journey_on_duckdb(tmp_path):
    landing = tmp_path / "landing"
    gen = run_revops("generate", "--scale", "0.03", "--seed", "11", "--out", str(landing))
    assert gen.returncode == 0, gen.stderr[-3000:]
    truth = json.loads((landing / "ground_truth.json").read_text())

    run = run_revops(
        "run", "--landing", str(landing), "--as-of", truth["as_of"], env=_env(tmp_path)
    )
    assert run.returncode == 0, (run.stdout[-4000:], run.stderr[-4000:])
    assert "rows per mart:" in run.stdout
    assert "checks:" in run.stdout and str(tmp_path / "warehouse.duckdb") in run.stdout
    assert f"report: {tmp_path / 'reports' / 'weekly_report.html'}" in run.stdout

    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"), read_only=True)
    journey_rows = con.execute("select count(*) from marts.fct_customer_journey").fetchone()[0]
    opportunities = con.execute("select count(*) from marts.fct_opportunities").fetchone()[0]
    con.close()
    assert journey_rows > 0
    assert opportunities == truth["opportunities"]
    # The run is recorded in the Dagster instance the UI reads.
    assert any((tmp_path / "dagster_home").rglob("*.db"))


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


@pytest.mark.postgres
def test_run_on_postgres(tmp_path, pg_database):
    landing = tmp_path / "landing"
    gen = run_revops("generate", "--scale", "0.02", "--seed", "5", "--out", str(landing))
    assert gen.returncode == 0, gen.stderr[-3000:]
    truth = json.loads((landing / "ground_truth.json").read_text())
    run = run_revops(
        "run",
        "--target",
        "postgres",
        "--landing",
        str(landing),
        "--as-of",
        truth["as_of"],
        env=_env(tmp_path, REVOPS_PG_DATABASE=pg_database),
    )
    assert run.returncode == 0, (run.stdout[-4000:], run.stderr[-4000:])

    import psycopg2

    con = psycopg2.connect(host="127.0.0.1", user="postgres", dbname=pg_database)
    with con.cursor() as cur:
        cur.execute("select count(*) from marts.fct_customer_journey")
        assert cur.fetchone()[0] > 0
        cur.execute("select count(*) from marts.fct_opportunities")
        assert cur.fetchone()[0] == truth["opportunities"]
        cur.execute(
            "select schema_name from information_schema.schemata where schema_name in "
            "('raw_salesforce','raw_hubspot','raw_ads','raw_web','staging','intermediate','marts')"
        )
        assert len(cur.fetchall()) == 7
    con.close()
