"""Dagster: one multi-asset per system, keyed by the contract, with load metadata."""

from __future__ import annotations

import pytest
from dagster import AssetKey, DagsterInstance, ExecuteInProcessResult, materialize

from orchestration.assets.ingest import build_ingest_assets
from orchestration.ingest import load_contract
from orchestration.ingest.landing import LANDING_FILES_TAG, encode_file_state, file_key, file_stat
from orchestration.pools import WRITER_POOL
from orchestration.resources import RevopsResource
from orchestration.settings import PROJECT_DIR
from tests.ingest.helpers import (
    ACCOUNT_HEADER,
    USER_HEADER,
    account_row,
    lines,
    query,
    write,
    write_accounts,
)


def load_all(settings, **options) -> ExecuteInProcessResult:
    """Materialize every ingestion asset on the landing folder and warehouse of ``settings``."""
    resource = RevopsResource(
        duckdb_path=str(settings.duckdb_path), landing_dir=str(settings.landing_dir)
    )
    return materialize(build_ingest_assets(), resources={"revops": resource}, **options)


def metadata_by_table(result: ExecuteInProcessResult) -> dict[tuple[str, ...], dict]:
    """Each materialized table's metadata, by (schema, table)."""
    return {
        tuple(e.asset_key.path): e.materialization.metadata
        for e in result.get_asset_materialization_events()
    }


def test_one_asset_per_contract_table_grouped_by_system():
    assets = build_ingest_assets()
    keys = {key for a in assets for key in a.keys}
    contract = load_contract(PROJECT_DIR)
    assert keys == {AssetKey(list(t.asset_key)) for t in contract.tables}
    for a in assets:
        assert a.can_subset
        for key in a.keys:
            assert a.group_names_by_key[key] == key.path[0]  # raw_<system>
        assert a.node_def.pool == WRITER_POOL
        assert a.node_def.retry_policy is not None
        assert "revops" in a.required_resource_keys


def test_materialize_reports_rows_and_missing_tables(settings, landing):
    write_accounts(
        landing, account_row("A1") + ",EMEA", "A2,broken", header=ACCOUNT_HEADER + ",region__c"
    )
    result = load_all(settings)
    assert result.success
    events = metadata_by_table(result)
    account = events[("raw_salesforce", "account")]
    assert account["rows_in_file"].value == 2
    assert account["rows_loaded"].value == 1
    assert account["rows_quarantined"].value == 1
    assert account["new_columns"].value == ["region__c"]
    assert account["file"].value.endswith("account.csv")
    assert account["duration_s"].value >= 0
    assert events[("raw_salesforce", "lead")]["status"].value == "missing"
    assert len(events) == len(load_contract(PROJECT_DIR).tables)


def test_failed_table_fails_the_step_after_loading_the_others(settings, landing):
    write_accounts(landing, account_row("A1"))
    write(landing, "salesforce", "lead.csv", lines("email", "a@x.com"))
    result = load_all(settings, raise_on_error=False)
    assert not result.success
    keys = {tuple(e.asset_key.path) for e in result.get_asset_materialization_events()}
    assert ("raw_salesforce", "account") in keys
    assert ("raw_salesforce", "lead") not in keys
    failure = next(e for e in result.all_events if e.event_type_value == "STEP_FAILURE")
    assert "lead.csv" in str(failure.event_specific_data.error)


@pytest.mark.reliability
def test_a_sensor_run_skips_for_now_a_file_its_request_did_not_name(settings, landing):
    account = write_accounts(landing, account_row("A1"))
    write(landing, "salesforce", "user.csv", lines(USER_HEADER, "U1,Ann,ann@x.com,AE,,true,"))
    # the sensor saw account.csv settled; user.csv was still being written
    tags = {LANDING_FILES_TAG: encode_file_state({file_key(account): file_stat(account)})}
    instance = DagsterInstance.ephemeral()
    result = load_all(settings, tags=tags, instance=instance)
    assert result.success
    events = metadata_by_table(result)
    assert events[("raw_salesforce", "account")]["rows_loaded"].value == 1
    user = events[("raw_salesforce", "user")]
    assert user["status"].value == "deferred"
    assert "still being written" in user["note"].value
    messages = [entry.user_message for entry in instance.all_logs(result.run_id)]
    assert any("user.csv skipped for now: it was still being written" in m for m in messages)
    tables = query(settings, "select table_name from information_schema.tables")
    assert ("user",) not in tables and ("account",) in tables
