"""The whole dbt project (seeds, models, snapshots, data and unit tests) builds on PostgreSQL.

Creates a uniquely named database on the local server, loads the same generated demo company
into raw_<system> tables, runs `dbt build` with REVOPS_TARGET=postgres and checks the headline
truth numbers; the database is dropped at teardown.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.journey.conftest import as_of_of, dbt
from tests.journey.raw_loader import load_postgres
from tests.pg import dsn, fresh_database

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


@pytest.fixture(scope="module")
def pg_database() -> Iterator[str]:
    with fresh_database("revops_journey") as name:
        yield name


@pytest.fixture(scope="module")
def pg_built(
    pg_database: str, generated: tuple[Path, dict[str, Any]], journey_work: Path
) -> tuple[str, dict[str, Any]]:
    landing, truth = generated
    load_postgres(landing, dsn(pg_database))
    env = {
        "REVOPS_TARGET": "postgres",
        "REVOPS_PG_DATABASE": pg_database,
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    work = journey_work / "postgres"
    work.mkdir(exist_ok=True)
    dbt(["build"], env, work, as_of=as_of_of(truth))
    return pg_database, truth


def pg_scalar(database: str, sql: str) -> Any:
    import psycopg2

    con = psycopg2.connect(dsn(database), connect_timeout=10)
    try:
        with con.cursor() as cur:
            cur.execute(sql)
            return cur.fetchone()[0]
    finally:
        con.close()


def test_project_builds_on_postgres_and_matches_truth(pg_built: tuple[str, dict[str, Any]]) -> None:
    database, truth = pg_built
    assert (
        pg_scalar(database, "select count(*) from marts.dim_person where not is_unknown_member")
        == truth["people"]
    )
    assert (
        pg_scalar(database, "select count(*) from marts.dim_account where not is_unknown_member")
        == truth["accounts"]
    )
    assert (
        pg_scalar(database, "select count(*) from marts.dim_account where is_customer")
        == truth["customers"]
    )
    assert (
        pg_scalar(database, "select count(*) from marts.fct_opportunities")
        == (truth["opportunities"])
    )
    revenue = pg_scalar(
        database, "select sum(amount_usd) from marts.fct_opportunities where is_won"
    )
    assert float(revenue) == pytest.approx(truth["won_revenue_usd"], abs=0.015)
    assert (
        pg_scalar(
            database,
            "select count(distinct person_id) from marts.fct_customer_journey "
            "where event_type = 'sql'",
        )
        == truth["sqls"]
    )


def test_postgres_journey_equals_duckdb_journey(
    pg_built: tuple[str, dict[str, Any]], base: Any
) -> None:
    """Same data, same counts per event type on both engines (portable SQL, same rules)."""
    database, _ = pg_built
    import psycopg2

    sql = (
        "select event_type, count(*), count(distinct person_id) "
        "from marts.fct_customer_journey group by 1 order by 1"
    )
    con = psycopg2.connect(dsn(database), connect_timeout=10)
    try:
        with con.cursor() as cur:
            cur.execute(sql)
            on_postgres = [tuple(r) for r in cur.fetchall()]
    finally:
        con.close()
    assert on_postgres == [tuple(r) for r in base.query(sql)]
