"""Each raw-table suite can fail and pass on purpose (DataFrames from DuckDB, validated by GX)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from orchestration.quality.config import load_config
from orchestration.quality.findings import finding_line
from orchestration.quality.runner import run_suites
from orchestration.quality.suites import suite_for
from orchestration.settings import Settings
from tests.quality.contract import insert

SUITES = [s.name for s in load_config().suites]


def _not_null_column(name: str) -> str:
    check = load_config().get(name)
    for expectation in suite_for(check).expectations:
        if expectation.expectation_type == "expect_column_values_to_not_be_null":
            return expectation.configuration.kwargs["column"]
    raise AssertionError(f"{name} has no not-null expectation")


def test_suites_pass_on_empty_contract_tables(contract_settings: Settings) -> None:
    results = run_suites(
        contract_settings, checks=SUITES, write_history=False, write_check_pages=False
    )
    assert [r.rule for r in results] == SUITES
    failed = [(r.rule, r.error, r.details) for r in results if not r.success]
    assert failed == []


@pytest.mark.parametrize("suite", SUITES)
def test_suite_fails_on_a_null_required_column_and_passes_at_its_threshold(
    contract_settings: Settings, suite: str
) -> None:
    column = _not_null_column(suite)
    schema, table = load_config().get(suite).table
    insert(contract_settings, f"{schema}.{table}", [{column: None}])

    (failed,) = run_suites(
        contract_settings, checks=[suite], write_history=False, write_check_pages=False
    )
    assert not failed.success
    assert failed.error is None
    assert failed.observed_value and failed.observed_value >= 1
    assert failed.unexpected_count and failed.unexpected_count >= 1
    assert any(column in d for d in failed.details)

    config = load_config()
    relaxed = replace(config.get(suite), threshold=failed.observed_value)
    config = replace(config, suites=(relaxed,), rules=())
    (passed,) = run_suites(
        contract_settings,
        checks=[suite],
        config=config,
        write_history=False,
        write_check_pages=False,
    )
    assert passed.success
    assert passed.observed_value == failed.observed_value


def test_duplicate_keys_and_out_of_range_values_are_reported(contract_settings: Settings) -> None:
    row = {
        "id": "006A",
        "stage_name": "Prospecting",
        "created_date": "2025-01-01",
        "close_date": "2025-02-01",
        "amount": -5.0,
        "probability": 150.0,
        "type": "New Business",
        "is_closed": False,
        "is_won": False,
        "_fivetran_synced": "2025-12-31",
    }
    insert(contract_settings, "raw_salesforce.opportunity", [row, row])
    (result,) = run_suites(
        contract_settings,
        checks=["raw_salesforce__opportunity"],
        write_history=False,
        write_check_pages=False,
    )
    # a row-level finding: a warning (severity policy, expectations/checks.yml)
    assert not result.success and result.severity == "warn"
    failed = {(s["expectation"], s["column"]) for s in result.sample_rows}
    assert ("expect_column_values_to_be_unique", "id") in failed
    assert ("expect_column_values_to_be_between", "amount") in failed
    assert ("expect_column_values_to_be_between", "probability") in failed
    assert result.unexpected_count == 6  # 2 duplicate ids, 2 amounts, 2 probabilities


@pytest.mark.reliability
def test_a_bad_value_is_named_by_table_key_column_and_value(contract_settings: Settings) -> None:
    def opportunity(id_: str, amount: float) -> dict[str, object]:
        return {
            "id": id_,
            "name": "Acme - New Business",
            "stage_name": "Prospecting",
            "created_date": "2025-01-01",
            "close_date": "2025-02-01",
            "amount": amount,
            "type": "New Business",
            "is_closed": False,
            "is_won": False,
            "_fivetran_synced": "2025-12-31",
        }

    rows = [opportunity(i, a) for i, a in (("006OK", 100.0), ("006BAD", -500.0), ("006N", 1.0))]
    rows[2]["name"] = None  # not a suite column: no finding
    rows[2]["stage_name"] = None
    insert(contract_settings, "raw_salesforce.opportunity", rows)
    (result,) = run_suites(
        contract_settings,
        checks=["raw_salesforce__opportunity"],
        write_history=False,
        write_check_pages=False,
    )
    assert not result.success and result.severity == "warn"  # it does not stop the company
    assert sorted(result.findings) == [
        "raw_salesforce.opportunity id=006BAD: amount = -500.0 "
        "(expect_column_values_to_be_between)",
        "raw_salesforce.opportunity id=006N: stage_name is null "
        "(expect_column_values_to_not_be_null)",
    ]


@pytest.mark.reliability
def test_a_personal_value_is_withheld_from_a_finding() -> None:
    line = finding_line(
        "raw_hubspot.contact", "property_email", "expect_x", ["ann@example.com"], ["id=7"]
    )
    assert (
        line
        == "raw_hubspot.contact id=7: property_email (value withheld: personal data) (expect_x)"
    )
    assert "ann@" not in line


@pytest.mark.reliability
def test_the_run_summary_names_where_a_check_failed() -> None:
    from types import SimpleNamespace

    from dagster import AssetCheckSeverity, AssetKey

    from orchestration.assets.quality import check_metadata
    from orchestration.quality.result import CheckResult
    from orchestration.summary import check_outcomes

    finding = "raw_salesforce.opportunity id=006BAD: amount = -500.0 (expect_x)"
    result = CheckResult(
        rule="raw_salesforce__opportunity",
        severity="warn",
        success=False,
        observed_value=1,
        threshold=0,
        unexpected_count=1,
        kind="suite",
        findings=[finding],
    )
    evaluation = SimpleNamespace(
        metadata=check_metadata(result),
        passed=False,
        severity=AssetCheckSeverity.WARN,
        asset_key=AssetKey(["raw_salesforce", "opportunity"]),
        check_name="raw_salesforce__opportunity",
    )
    run = SimpleNamespace(get_asset_check_evaluations=lambda: [evaluation])
    _, failed, names = check_outcomes(run)
    assert failed["warn"] == 1
    assert names == [
        "raw_salesforce/opportunity:raw_salesforce__opportunity (warn): 1 offending "
        f"(threshold 0); {finding}"
    ]


@pytest.mark.reliability
def test_a_date_outside_the_calendar_is_named_by_rule_14(contract_settings: Settings) -> None:
    base = {
        "stage_name": "Prospecting",
        "close_date": "2025-02-01",
        "is_deleted": False,
        "_fivetran_synced": "2025-12-31",
    }
    insert(
        contract_settings,
        "raw_salesforce.opportunity",
        [
            base | {"id": "006OK", "created_date": "2025-01-01"},
            base | {"id": "006OLD", "created_date": "0001-01-01"},  # a typo
            base | {"id": "006NC", "created_date": "2025-01-01", "close_date": None},
        ],
    )
    (result,) = run_suites(
        contract_settings,
        checks=["missing_fields"],
        write_history=False,
        write_check_pages=False,
        build_rules=False,  # the view, built with the template, sees the rows
    )
    assert result.severity == "warn" and result.observed_value == 2
    assert sorted(result.findings) == [
        "salesforce.opportunity 006NC: missing close_date",
        "salesforce.opportunity 006OLD: created_date 0001-01-01 is outside the calendar (a typo?)",
    ]
