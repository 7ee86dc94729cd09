"""The same load on PostgreSQL (a throw-away database on the local server)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import replace

import pytest

from orchestration.ingest import load_landing
from orchestration.settings import Settings
from tests.ingest.helpers import (
    ACCOUNT_HEADER,
    USER_HEADER,
    account_row,
    lines,
    write,
    write_accounts,
)
from tests.pg import fetch, fresh_database

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_settings(settings: Settings) -> Iterator[Settings]:
    with fresh_database("revops_ingest") as name:
        yield settings.with_(target="postgres", postgres=replace(settings.postgres, database=name))


def pg_query(settings: Settings, sql: str) -> list[tuple]:
    return fetch(settings.postgres.dsn(), sql)


@pytest.mark.reliability
def test_load_on_postgres_including_user_table(pg_settings, landing):
    write(
        landing,
        "salesforce",
        "user.csv",
        lines(
            USER_HEADER,
            "U1,Ann,a@x.com,Rep,,true,2024-01-01T00:00:00Z",
            "U2,Bob,b@x.com,Mgr,U1,no,2024-01-01T02:00:00+02:00",
            "U3,Bad,,,,maybe,2024-01-01",
        ),
    )
    write_accounts(
        landing,
        account_row("A1", name='"Multi\nline, ""q"""') + ",EMEA",
        account_row("A2", name="Ac\x00me") + ",EMEA",  # PostgreSQL text cannot hold NUL
        header=ACCOUNT_HEADER + ",region__c",
    )
    for _ in range(2):  # the reload changes nothing
        results = {r.table: r for r in load_landing(pg_settings) if r.status == "loaded"}
        assert (results["user"].rows_loaded, results["user"].rows_quarantined) == (2, 1)
        assert results["account"].new_columns == ("region__c",)
        assert pg_query(
            pg_settings,
            'select id, manager_id, is_active, _fivetran_synced from raw_salesforce."user" '
            "order by id",
        ) == [
            ("U1", None, True, dt.datetime(2024, 1, 1)),
            ("U2", "U1", False, dt.datetime(2024, 1, 1)),
        ]
        assert pg_query(pg_settings, "select id, region__c from raw_salesforce.account") == [
            ("A1", "EMEA")
        ]
        assert pg_query(
            pg_settings,
            "select table_name, line_number, column_name,"
            " strpos(raw_text, 'Ac' || chr(92) || 'x00me') > 0"
            " from raw_quarantine.rejected_rows order by table_name",
        ) == [("account", 4, "name", True), ("user", 4, "is_active", False)]
