"""The whole dbt project (seeds, models, snapshots, data and unit tests) builds on PostgreSQL
and its core marts hold the simulator's truth.

Reuses the session's PostgreSQL build (tests/kpi/pg_build.py: the product loader, then
`dbt build` with REVOPS_TARGET=postgres); the truth is the simulator's ground_truth.json.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.kpi.conftest import KpiWarehouse
from tests.pg import pg_query

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


def pg_scalar(database: str, sql: str) -> Any:
    return pg_query(database, sql)[0][0]


def test_project_builds_on_postgres_and_matches_truth(
    kpi_pg_built: str, kpi_warehouse: KpiWarehouse
) -> None:
    database, truth = kpi_pg_built, kpi_warehouse.truth
    counts = {
        "people": "select count(*) from marts.dim_person where not is_unknown_member",
        "accounts": "select count(*) from marts.dim_account where not is_unknown_member",
        "customers": "select count(*) from marts.dim_account where is_customer",
        "opportunities": "select count(*) from marts.fct_opportunities",
        "sqls": "select count(distinct person_id) from marts.fct_customer_journey "
        "where event_type = 'sql'",
    }
    assert {k: pg_scalar(database, sql) for k, sql in counts.items()} == {
        k: truth[k] for k in counts
    }
    revenue = pg_scalar(
        database, "select sum(amount_usd) from marts.fct_opportunities where is_won"
    )
    assert float(revenue) == pytest.approx(truth["won_revenue_usd"], abs=0.015)


def test_postgres_journey_equals_duckdb_journey(
    kpi_pg_built: str, kpi_warehouse: KpiWarehouse
) -> None:
    """Same data, same counts per event type on both engines (portable SQL, same rules)."""
    sql = (
        "select event_type, count(*), count(distinct person_id) "
        "from marts.fct_customer_journey group by 1 order by 1"
    )
    on_postgres = [tuple(r) for r in pg_query(kpi_pg_built, sql)]
    assert on_postgres and on_postgres == [tuple(r) for r in kpi_warehouse.query(sql)]
