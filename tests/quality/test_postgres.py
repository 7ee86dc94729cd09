"""The same runner on PostgreSQL: same rows, same verdicts as on DuckDB; history written there."""

from __future__ import annotations

from pathlib import Path

import pytest

from orchestration.dbt_project import TARGET_ENV
from orchestration.quality import history
from orchestration.quality.config import load_config
from orchestration.quality.runner import run_suites
from orchestration.settings import PostgresSettings, Settings
from orchestration.warehouse import query
from tests.quality.conftest import AS_OF
from tests.quality.contract import create_raw_tables, insert


def raw_only_rules() -> list[str]:
    """Rules whose model reads raw sources only (no other model to build first)."""
    return [r.name for r in load_config().rules if "ref(" not in r.model_path.read_text()]


def seed(settings: Settings) -> None:
    """A handful of rows breaking several rules and suites."""
    insert(
        settings,
        "raw_salesforce.opportunity",
        [
            {
                "id": "006A",
                "account_id": "001MISSING",
                "owner_id": "005X",
                "stage_name": "Prospecting",
                "amount": 100.0,
                "created_date": "2025-06-01 10:00:00+00",
                "close_date": "2025-05-01",
                "is_closed": False,
                "is_won": False,
                "is_deleted": False,
                "_fivetran_synced": "2025-12-31 23:00:00+00",
            },
            {"id": "006A", "stage_name": None, "is_deleted": False},
        ],
    )
    insert(
        settings,
        "raw_hubspot.contact",
        [
            {
                "id": "1",
                "property_email": "ann@acme.example",
                "property_createdate": "2025-03-01 00:00:00+00",
                "property_lifecyclestage": "customer",
                "_fivetran_deleted": False,
                "_fivetran_synced": "2025-12-31 23:00:00+00",
            },
            {
                "id": "2",
                "property_email": " ANN@acme.example",
                "property_createdate": "2025-03-02 00:00:00+00",
                "property_lifecyclestage": "evangelist",
                "_fivetran_deleted": False,
                "_fivetran_synced": "2025-12-31 23:00:00+00",
            },
        ],
    )
    insert(
        settings,
        "raw_hubspot.email_event",
        [{"id": "e1", "recipient": "nobody@else.example", "type": "SENT", "created": AS_OF}],
    )


def verdicts(settings: Settings, checks: list[str]) -> dict[str, tuple]:
    return {
        r.rule: (r.success, r.observed_value, r.unexpected_count, r.error)
        for r in run_suites(settings, run_id="parity", checks=checks, write_check_pages=False)
    }


@pytest.mark.postgres
def test_runner_gives_the_same_verdicts_on_postgres_and_duckdb(
    pg_database: str, contract_settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    duck = contract_settings  # raw tables already there
    pg = duck.with_(target="postgres", postgres=PostgresSettings(database=pg_database))
    checks = [
        "raw_salesforce__opportunity",
        "raw_hubspot__contact",
        "raw_hubspot__email_event",
        *raw_only_rules(),
    ]
    assert len(checks) >= 6
    create_raw_tables(pg)
    for settings in (duck, pg):
        seed(settings)
    on_duckdb = verdicts(duck, checks)
    # dbt parses anew for another profile: keep the duckdb parse of this worker for later tests
    monkeypatch.setenv(TARGET_ENV, str(tmp_path / "pg_target"))
    on_postgres = verdicts(pg, checks)
    assert on_postgres == on_duckdb
    assert all(error is None for *_, error in on_postgres.values()), on_postgres
    assert not on_postgres["raw_salesforce__opportunity"][0]  # duplicate id, null stage
    failing = [name for name, (ok, *_) in on_postgres.items() if not ok]
    assert len(failing) >= 4, on_postgres

    rows = query(pg, f"select count(*), count(distinct rule) from {history.SCHEMA}.{history.TABLE}")
    assert rows == [(len(checks), len(checks))]
    # the offending rows are stored alike, masked, on both targets
    counts = "select rule, count(*) from quality.dq_offending_rows group by rule order by rule"
    assert query(pg, counts) == query(duck, counts)
    assert dict(query(pg, counts))["duplicate_people"] == on_postgres["duplicate_people"][1]
    values = str(query(pg, "select row_values from quality.dq_offending_rows")).lower()
    assert "a***@acme.example" in values and "ann@acme" not in values
