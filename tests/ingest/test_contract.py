"""The raw contract is read from the dbt source YAML files."""

from __future__ import annotations

import pytest

from orchestration.ingest import ContractError, load_contract
from orchestration.settings import PROJECT_DIR, RAW_SYSTEMS


def test_contract_has_every_system_and_table():
    contract = load_contract(PROJECT_DIR)
    assert set(contract.systems) == set(RAW_SYSTEMS)
    user = contract.get("salesforce", "user")
    assert user.asset_key == ("raw_salesforce", "user")
    assert user.primary_key == ("id",)
    assert "id" in user.required_columns
    assert user.column("_fivetran_synced").data_type == "timestamp"
    for table in contract.tables:
        assert table.column("_fivetran_synced") is not None, table.qualified_name
        assert table.asset_key == (f"raw_{table.system}", table.name)


def test_ad_stats_has_no_primary_key():
    ad_stats = load_contract(PROJECT_DIR).get("ads", "ad_stats")
    assert ad_stats.primary_key == ()
    assert set(ad_stats.required_columns) == {"date_day", "platform"}


def test_unknown_table_names_the_known_ones():
    with pytest.raises(ContractError, match=r"salesforce\.nope .*account"):
        load_contract(PROJECT_DIR).get("salesforce", "nope")
