"""The CRM-only company on PostgreSQL: the same run, the same truth, on a server target."""

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


def test_crm_only_company_runs_on_postgres(pg_database: str, tmp_path: Path) -> None:
    import psycopg2

    from simulator import generate

    landing = tmp_path / "landing"
    truth = generate(landing, scale=SCALE, seed=SEED, profile="crm-only")
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
    assert "systems absent: ads, hubspot, web" in result.stdout
    con = psycopg2.connect(host="127.0.0.1", port=5432, user="postgres", dbname=pg_database)
    try:
        with con.cursor() as cur:
            cur.execute("select count(*) from marts.fct_opportunities")
            assert cur.fetchone()[0] == truth["opportunities"]
            cur.execute(
                "select coalesce(sum(amount_usd), 0) from marts.fct_opportunities where is_won"
            )
            assert float(cur.fetchone()[0]) == pytest.approx(truth["won_revenue_usd"], abs=0.015)
            cur.execute("select count(*) from marts.dim_account where is_customer")
            assert cur.fetchone()[0] == truth["customers"]
            cur.execute("select count(*) from marts.dim_person where not is_unknown_member")
            assert cur.fetchone()[0] == 0
            cur.execute("select status, count(*) from quality.dq_check_results group by 1")
            statuses = dict(cur.fetchall())
            assert statuses.get("N/A", 0) > 0 and "FAIL" not in statuses
    finally:
        con.close()
