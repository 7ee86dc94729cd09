"""`revops run` end to end in a temporary directory, as a user runs it, on DuckDB (PostgreSQL:
the marketing-crm company of tests/companies/test_shapes.py)."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import duckdb
import pytest

from orchestration.dbt_project import target_dir
from orchestration.run_settings import format_as_of, resolve_as_of
from tests.conftest import run_revops
from tests.parse_once import linked_env

pytestmark = pytest.mark.slow


def _env(tmp_path, **extra):
    return {
        "REVOPS_DUCKDB_PATH": str(tmp_path / "warehouse.duckdb"),
        "REVOPS_REPORTS_DIR": str(tmp_path / "reports"),
        "DAGSTER_HOME": str(tmp_path / "dagster_home"),
        **extra,
    }


def _with_offset(instant: datetime, hours: int) -> str:
    """The naive UTC ``instant`` written in another time zone: 00:00Z is 02:00+02:00."""
    return instant.replace(tzinfo=UTC).astimezone(timezone(timedelta(hours=hours))).isoformat()


def _dbt_steps_of_run(stdout: str) -> list[Path]:
    """The target folders of the dbt steps of the run named in stdout (dagster-dbt's)."""
    run_id = re.search(r"run-([0-9a-f-]{36})\.log", stdout)
    assert run_id, stdout[-2000:]
    return sorted(target_dir().glob(f"revops_dbt_*-{run_id.group(1)[:7]}-*"))


def test_generate_then_run_builds_the_journey_on_duckdb(tmp_path):
    """Also: as_of given with an offset is one UTC instant in every step of the run (dbt's
    vars, the checks' clock, the report's period), the simulator's as_of."""
    landing = tmp_path / "landing"
    gen = run_revops("generate", "--scale", "0.03", "--seed", "11", "--out", str(landing))
    assert gen.returncode == 0, gen.stderr[-3000:]
    truth = json.loads((landing / "ground_truth.json").read_text())
    as_of = resolve_as_of(truth["as_of"])
    given = _with_offset(as_of, hours=2)
    assert given.endswith("+02:00") and given[11:13] != truth["as_of"][11:13]

    run = run_revops("run", "--landing", str(landing), "--as-of", given, env=_env(tmp_path))
    assert run.returncode == 0, (run.stdout[-4000:], run.stderr[-4000:])
    dbt_steps = _dbt_steps_of_run(run.stdout)
    assert len(dbt_steps) == 2, dbt_steps  # the core and the KPI step
    for step in dbt_steps:
        # the vars dbt received, and the as_of it read from them (its on-run-start log line)
        dbt_vars = json.loads((step / "run_results.json").read_text())["args"]["vars"]
        assert dbt_vars["as_of"] == format_as_of(as_of), (step, dbt_vars)
        said = f"as_of = {as_of:%Y-%m-%d %H:%M:%S} UTC (var as_of)"
        # dbt rotates its log at 10 MB: the notice may be in dbt.log.1 (the first lines)
        logs = "".join(log.read_text() for log in step.glob("dbt.log*"))
        assert said in logs, (step, sorted(p.name for p in step.glob("dbt.log*")))
    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"), read_only=True)
    checked = con.execute("select distinct data_as_of from quality.dq_check_results").fetchall()
    con.close()
    assert checked == [(as_of,)]
    report = (tmp_path / "reports" / "weekly_report.md").read_text()
    assert f"As of {as_of:%Y-%m-%d %H:%M} UTC" in report

    assert "rows per mart:" in run.stdout
    # the path the run was given (the test worker's link to it: tests/parse_once.py)
    given_path = linked_env(_env(tmp_path))["REVOPS_DUCKDB_PATH"]
    assert "checks:" in run.stdout and f"warehouse: {given_path}" in run.stdout
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
