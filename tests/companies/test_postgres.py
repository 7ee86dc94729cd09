"""`revops run --target postgres` end to end: a company with CRM and marketing but no ad or
web export (profile marketing-crm), the same truth as on DuckDB, on a server target.

One run covers the PostgreSQL path of the whole graph (loading, identity resolution, the
journey, attribution, the checks, the report) and of absent systems (their raw tables
created empty, their checks not applicable)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.companies.conftest import SCALE, SEED
from tests.conftest import PROJECT_DIR, run_revops

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.reliability]
SENTINEL = "SECRETSENTINEL7Q"


def _assert_no_secret_written(output: str, tmp_path: Path) -> None:
    """No secret in the console, the run's log, Dagster's storage, dbt's target/ and logs, or
    the reports (issue 20: no exception text that can hold a secret reaches a log)."""
    assert SENTINEL not in output
    log = next(line for line in output.splitlines() if line.startswith("full log:"))
    places = [Path(log.split()[-1]), tmp_path / "dagster", tmp_path / "reports"]
    places += [PROJECT_DIR / "target", PROJECT_DIR / "logs" / "dbt.log"]
    files = [f for p in places for f in ([p] if p.is_file() else p.rglob("*")) if f.is_file()]
    assert len(files) > 3, places
    leaked = [f for f in files if SENTINEL.encode() in f.read_bytes()]
    assert leaked == []


def test_a_company_runs_on_postgres(pg_database: str, tmp_path: Path) -> None:
    import psycopg2

    from simulator import generate

    landing = tmp_path / "landing"
    truth = generate(landing, scale=SCALE, seed=SEED, profile="marketing-crm")
    result = run_revops(
        "run",
        "--target",
        "postgres",
        "--landing",
        str(landing),
        "--as-of",
        truth["as_of"],
        env={
            "REVOPS_PG_DATABASE": pg_database,
            # secrets the run must never write anywhere (the local server trusts the login,
            # so the password is sent to nobody; the CLI run posts no alert)
            "REVOPS_PG_PASSWORD": f"{SENTINEL} host=evil.example",
            "REVOPS_ALERT_WEBHOOK_URL": f"hooks.example/services/{SENTINEL}",
            "DAGSTER_HOME": str(tmp_path / "dagster"),
            "REVOPS_REPORTS_DIR": str(tmp_path / "reports"),
        },
        timeout=1500,
    )
    assert result.returncode == 0, (result.stdout + result.stderr)[-6000:]
    _assert_no_secret_written(result.stdout + result.stderr, tmp_path)
    assert "systems absent: ads, web" in result.stdout
    assert (tmp_path / "reports" / "weekly_report.html").exists()
    con = psycopg2.connect(host="127.0.0.1", port=5432, user="postgres", dbname=pg_database)
    try:
        with con.cursor() as cur:

            def scalar(sql: str) -> float:
                cur.execute(sql)
                return cur.fetchone()[0]

            assert scalar("select count(*) from marts.fct_opportunities") == truth["opportunities"]
            won = scalar(
                "select coalesce(sum(amount_usd), 0) from marts.fct_opportunities where is_won"
            )
            assert float(won) == pytest.approx(truth["won_revenue_usd"], abs=0.015)
            assert (
                scalar("select count(*) from marts.dim_account where is_customer")
                == (truth["customers"])
            )
            people = scalar("select count(*) from marts.dim_person where not is_unknown_member")
            assert people == truth["people"]
            mqls = scalar("select coalesce(sum(mqls), 0) from marts.kpi_channel_performance")
            assert mqls == truth["mqls"]
            assert scalar("select count(*) from marts.fct_customer_journey") > 0
            assert scalar("select count(*) from marts.fct_attribution") > 0
            cur.execute(
                "select schema_name from information_schema.schemata where schema_name in "
                "('raw_salesforce','raw_hubspot','staging','intermediate','marts','quality')"
            )
            assert len(cur.fetchall()) == 6
            cur.execute("select status, count(*) from quality.dq_check_results group by 1")
            statuses = dict(cur.fetchall())
            assert statuses.get("N/A", 0) > 0 and "FAIL" not in statuses
    finally:
        con.close()
