"""The same hand-made company on PostgreSQL: same accounts, links and rule 13 count as DuckDB.

Loads the landing CSVs of company.py into a uniquely named database on the local server,
builds the account marts there (portable SQL: the default label-propagation passes, not
DuckDB's recursive CTE) and runs the rule; the database is dropped at teardown.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from orchestration.quality.runner import run_suites
from orchestration.settings import PostgresSettings
from tests.identity.company import Expected
from tests.identity.conftest import IdentityWarehouse, build_warehouse
from tests.journey.raw_loader import load_postgres
from tests.pg import HOST, PASSWORD, PORT, USER, dsn, fresh_database, pg_query

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

LINKS = (
    "select entity, rule, coalesce(not_applied_reason, 'applied'), count(*) "
    "from marts.dim_identity_links group by 1, 2, 3 order by 1, 2, 3"
)


@pytest.fixture(scope="module")
def pg_identity(
    identity_landing: tuple[Path, Expected],
    identity_warehouse: IdentityWarehouse,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[IdentityWarehouse]:
    landing, expected = identity_landing
    with fresh_database("revops_identity") as name:
        load_postgres(landing, dsn(name))
        settings = identity_warehouse.settings.with_(
            target="postgres",
            postgres=PostgresSettings(
                host=HOST, port=int(PORT), user=USER, password=PASSWORD, database=name
            ),
        )
        yield build_warehouse(settings, tmp_path_factory.mktemp("identity_pg"), landing, expected)


def pg_rows(w: IdentityWarehouse, sql: str) -> list[tuple[Any, ...]]:
    return pg_query(w.settings.postgres.database, sql)


def test_postgres_resolves_the_same_accounts_and_links(
    pg_identity: IdentityWarehouse, identity_warehouse: IdentityWarehouse
) -> None:
    accounts = "select count(*) from marts.dim_account where not is_unknown_member"
    assert pg_rows(pg_identity, accounts) == [(pg_identity.expected.accounts,)]
    assert pg_rows(pg_identity, LINKS) == identity_warehouse.query(LINKS)
    ids = "select account_id from marts.dim_account order by 1"
    assert pg_rows(pg_identity, ids) == identity_warehouse.query(ids)


def test_rule_13_counts_the_same_on_postgres(pg_identity: IdentityWarehouse) -> None:
    (result,) = run_suites(
        pg_identity.settings,
        checks=["identity_cluster_health"],
        write_history=False,
        write_check_pages=False,
    )
    assert result.error is None, result.error
    assert result.observed_value == pg_identity.expected.rule_findings, result.sample_rows
