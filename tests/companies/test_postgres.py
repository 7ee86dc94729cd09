"""The CRM-only company on PostgreSQL: the same run, the same truth, on a server target."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.companies.conftest import SCALE, SEED
from tests.conftest import run_revops

pytestmark = [pytest.mark.slow, pytest.mark.postgres]


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
            "DAGSTER_HOME": str(tmp_path / "dagster"),
            "REVOPS_REPORTS_DIR": str(tmp_path / "reports"),
        },
        timeout=1500,
    )
    assert result.returncode == 0, (result.stdout + result.stderr)[-6000:]
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
