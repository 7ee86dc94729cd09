"""On demo data every rule reports exactly the simulator's count; on a clean company, none."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from orchestration.quality.result import CheckResult
from orchestration.quality.runner import run_suites
from tests.quality.alone import run_alone
from tests.quality.contract import execute
from tests.quality.demo import DemoWarehouse
from tests.rules_contract import RULE_NAMES

# generate + load + dbt build of two small companies: about a minute each
pytestmark = pytest.mark.slow


# the demo build made the rule models with the marts (same as_of): no rebuild here
@pytest.fixture(scope="session")
def demo_results(demo: DemoWarehouse) -> dict[str, CheckResult]:
    results = run_suites(demo.settings, run_id="demo", build_rules=False)
    return {r.rule: r for r in results}


@pytest.fixture(scope="session")
def clean_results(clean: DemoWarehouse) -> dict[str, CheckResult]:
    results = run_suites(clean.settings, run_id="clean", build_rules=False)
    return {r.rule: r for r in results}


@pytest.mark.parametrize("rule", RULE_NAMES)
def test_rule_counts_exactly_the_injected_inconsistencies(
    demo: DemoWarehouse, demo_results: dict[str, CheckResult], rule: str
) -> None:
    expected = demo.truth["inconsistencies"][rule]
    result = demo_results[rule]
    assert result.error is None, result.error
    assert result.observed_value == expected, (
        f"{rule}: {result.observed_value} offending rows, ground truth {expected}; "
        f"sample: {result.sample_rows}"
    )
    assert expected > 0, f"{rule}: the demo data should violate every rule"


@pytest.mark.parametrize("rule", RULE_NAMES)
def test_rule_fails_at_threshold_zero_and_passes_at_its_count(
    demo: DemoWarehouse, demo_results: dict[str, CheckResult], rule: str
) -> None:
    count = demo_results[rule].observed_value
    assert count
    for threshold, should_pass in ((0, False), (count - 1, False), (count, True)):
        result = run_alone(demo.settings, rule, threshold=threshold, build_rules=False)
        assert result.success is should_pass, (rule, threshold, result.observed_value)


def test_every_check_passes_on_a_clean_company(clean_results: dict[str, CheckResult]) -> None:
    failed = {
        name: (r.observed_value, r.error, r.sample_rows[:2])
        for name, r in clean_results.items()
        if not r.success
    }
    assert failed == {}


def test_raw_table_suites_pass_on_demo_data(demo_results: dict[str, CheckResult]) -> None:
    """The demo's disagreements are between systems, not broken raw contracts."""
    failed = {
        name: r.details for name, r in demo_results.items() if r.kind == "suite" and not r.success
    }
    assert failed == {}


def test_demo_run_is_recorded_in_the_history_table(demo: DemoWarehouse) -> None:
    from orchestration.warehouse import query

    rows = query(
        demo.settings,
        "select rule, observed_value from quality.dq_check_results where run_id = 'demo'",
    )
    recorded = dict(rows)
    for rule in RULE_NAMES:
        assert recorded[rule] == demo.truth["inconsistencies"][rule]


EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")


def test_demo_run_keeps_every_offending_row_masked(
    demo: DemoWarehouse, demo_results: dict[str, CheckResult]
) -> None:
    """quality.dq_offending_rows holds every finding of the run (the truth's count, not a
    sample), and not one of the emails the simulator wrote into the landing files."""
    from orchestration.warehouse import query

    stored: dict[str, list[dict]] = {}
    for rule, run_id, values in query(
        demo.settings, "select rule, run_id, row_values from quality.dq_offending_rows"
    ):
        assert run_id == "demo"
        stored.setdefault(rule, []).append(json.loads(values))
    for rule in RULE_NAMES:
        rows = stored.get(rule, [])
        found = sum(r["offending_rows"] for r in rows) if rule == "conservation" else len(rows)
        assert found == demo.truth["inconsistencies"][rule], rule
    landing_emails = {
        e.lower()
        for path in demo.settings.landing_dir.rglob("*")
        if path.suffix in (".csv", ".jsonl")
        for e in EMAIL.findall(path.read_text(errors="replace"))
    }
    text = json.dumps(stored).lower()
    masked = [r["email"] for rows in stored.values() for r in rows if r.get("email")]
    assert len(landing_emails) > 100 and len(masked) > 10 and all("***@" in m for m in masked)
    assert [e for e in landing_emails if e in text] == []


@pytest.mark.postgres
def test_raw_rules_count_the_truth_on_postgres_too(demo: DemoWarehouse, pg_database: str) -> None:
    """The same landing files loaded into PostgreSQL: the raw-only rules (their models built
    there by the runner) give the same counts."""
    from orchestration.ingest import load_landing
    from orchestration.settings import PostgresSettings
    from tests.quality.test_postgres import raw_only_rules

    settings = demo.settings.with_(
        target="postgres", postgres=PostgresSettings(database=pg_database)
    )
    load_landing(settings, settings.landing_dir)
    rules = [r for r in raw_only_rules() if r in RULE_NAMES]  # the truth covers the catalogue
    assert len(rules) >= 6
    results = run_suites(settings, run_id="pg-demo", checks=rules, write_check_pages=False)
    counts = {r.rule: (r.observed_value, r.error) for r in results}
    assert counts == {rule: (demo.truth["inconsistencies"][rule], None) for rule in rules}


def test_reconciliation_catches_marts_that_drift_from_raw(
    demo: DemoWarehouse, tmp_path: Path
) -> None:
    """Ad spend and attributed revenue parts fire when a mart no longer matches raw."""
    import shutil

    copy = tmp_path / demo.settings.duckdb_path.name
    shutil.copy(demo.settings.duckdb_path, copy)
    settings = demo.settings.with_(duckdb_path=copy, reports_dir=tmp_path / "reports")
    execute(
        settings,
        "update marts.fct_ad_spend set spend_usd = spend_usd + 5 "
        "where ad_spend_id = (select min(ad_spend_id) from marts.fct_ad_spend)",
        "update marts.fct_attribution set revenue_credit_usd = revenue_credit_usd + 5 "
        "where attribution_id = (select min(attribution_id) from marts.fct_attribution)",
    )
    # the rule's view reads the marts when counted: no rebuild needed to see the drift
    (result,) = run_suites(
        settings,
        checks=["reconciliation"],
        write_history=False,
        write_check_pages=False,
        build_rules=False,
    )
    expected = demo.truth["inconsistencies"]["reconciliation"] + 2
    assert result.observed_value == expected, result.sample_rows


def test_mapping_coverage_reports_an_opportunity_type_no_seed_maps(
    demo: DemoWarehouse, tmp_path: Path
) -> None:
    """An org's own type value is reported so the seed opportunity_type_mapping can be
    extended (the warehouse infers its type meanwhile: doc opportunity_type); a Salesforce
    default value in another spelling, which the seed maps, is not."""
    import shutil

    copy = tmp_path / demo.settings.duckdb_path.name
    shutil.copy(demo.settings.duckdb_path, copy)
    settings = demo.settings.with_(duckdb_path=copy, reports_dir=tmp_path / "reports")
    live = "select {} (id) from raw_salesforce.opportunity where not is_deleted"
    execute(
        settings,
        "update raw_salesforce.opportunity set type = 'Barter Deal' "
        f"where id = ({live.format('min')})",
        "update raw_salesforce.opportunity set type = 'existing customer - UPGRADE' "
        f"where id = ({live.format('max')})",
    )
    # the rule's view reads the raw tables when counted: no rebuild needed
    (result,) = run_suites(
        settings,
        checks=["mapping_coverage"],
        write_history=False,
        write_check_pages=False,
        build_rules=False,
    )
    assert result.observed_value == demo.truth["inconsistencies"]["mapping_coverage"] + 1
    found = [row for row in result.sample_rows if row["picklist"] == "opportunity_type"]
    assert found == [{"picklist": "opportunity_type", "value": "Barter Deal"}], result.sample_rows
