"""The checks in Dagster: an error-severity failure blocks downstream assets, a warning does not."""

from __future__ import annotations

from dataclasses import replace

from dagster import AssetCheckSeverity, AssetKey, DagsterInstance, asset, materialize
from dagster_shared.serdes import serialize_value

from orchestration.assets.quality import build_quality_checks
from orchestration.quality.config import ChecksConfig, load_config
from orchestration.resources import RevopsResource
from orchestration.settings import Settings
from tests.quality.contract import insert

GUARDED_ERROR = AssetKey(["test", "guarded_by_error_rule"])
GUARDED_WARN = AssetKey(["test", "guarded_by_warn_rule"])


def stand_in_config() -> ChecksConfig:
    """Two raw-only rules moved onto stand-in assets: orphans as error, duplicates as warn."""
    config = load_config()
    error_rule = replace(
        config.get("orphans"), severity="error", threshold=0, asset=tuple(GUARDED_ERROR.path)
    )
    warn_rule = replace(
        config.get("duplicate_people"), severity="warn", threshold=0, asset=tuple(GUARDED_WARN.path)
    )
    return replace(config, rules=(error_rule, warn_rule), suites=())


@asset(key=GUARDED_ERROR)
def guarded_error() -> int:
    return 1


@asset(key=GUARDED_WARN)
def guarded_warn() -> int:
    return 1


@asset(key=["test", "kpi_after_error"], deps=[GUARDED_ERROR])
def kpi_after_error() -> int:
    return 1


@asset(key=["test", "kpi_after_warn"], deps=[GUARDED_WARN])
def kpi_after_warn() -> int:
    return 1


def break_both_rules(settings: Settings) -> None:
    """One orphan opportunity (no such account) and one duplicated marketing contact."""
    insert(
        settings,
        "raw_salesforce.opportunity",
        [{"id": "006ORPHAN", "account_id": "001NOPE", "is_deleted": False}],
    )
    insert(
        settings,
        "raw_hubspot.contact",
        [
            {"id": "1", "property_email": "ann@acme.example", "_fivetran_deleted": False},
            {"id": "2", "property_email": " Ann@Acme.example ", "_fivetran_deleted": False},
        ],
    )


def run(settings: Settings, instance: DagsterInstance | None = None):
    # the rule models are in the contract warehouse already (in the pipeline: the dbt step)
    checks = build_quality_checks(stand_in_config())
    resource = RevopsResource(
        target="duckdb",
        duckdb_path=str(settings.duckdb_path),
        reports_dir=str(settings.reports_dir),
        as_of=settings.as_of,
    )
    return materialize(
        [guarded_error, guarded_warn, kpi_after_error, kpi_after_warn, *checks],
        resources={"revops": resource},
        instance=instance,
        raise_on_error=False,
    )


def test_error_failure_blocks_downstream_and_warning_does_not(contract_settings: Settings) -> None:
    break_both_rules(contract_settings)
    instance = DagsterInstance.ephemeral()
    result = run(contract_settings, instance)
    evaluations = {e.check_name: e for e in result.get_asset_check_evaluations()}
    assert not evaluations["orphans"].passed
    assert evaluations["orphans"].severity == AssetCheckSeverity.ERROR
    assert not evaluations["duplicate_people"].passed
    assert evaluations["duplicate_people"].severity == AssetCheckSeverity.WARN

    done = {e.asset_key for e in result.get_asset_materialization_events()}
    assert AssetKey(["test", "kpi_after_warn"]) in done
    assert AssetKey(["test", "kpi_after_error"]) not in done

    metadata = evaluations["orphans"].metadata
    assert metadata["observed_value"].value >= 1
    assert metadata["threshold"].value == 0
    assert metadata["unexpected_count"].value == metadata["observed_value"].value
    assert "006ORPHAN" in metadata["sample_keys"].value
    page = f"{contract_settings.pages_url}/checks/orphans"
    assert metadata["check_page"].value == page
    assert metadata["offending_rows"].value == f"{page}#offending-rows"
    assert metadata["offending_rows_command"].value == "revops check --rows orphans"

    # the duplicated contact's email: keys in the metadata, no email at all, and nowhere in
    # the run's event log (every event, serialised as the instance stores it)
    duplicates = evaluations["duplicate_people"].metadata
    assert "hubspot.contact" in duplicates["sample_keys"].value
    assert "email" not in duplicates["sample_keys"].value.split("\n")[0].split("|")
    stored = [serialize_value(e) for e in instance.all_logs(result.run_id)]
    assert len(stored) > 20 and any("duplicate_people" in e for e in stored)
    assert not [e for e in stored if "ann@acme" in e.lower()]


def test_passing_checks_let_everything_through(contract_settings: Settings) -> None:
    result = run(contract_settings)
    assert result.success
    assert all(e.passed for e in result.get_asset_check_evaluations())
    done = {e.asset_key for e in result.get_asset_materialization_events()}
    assert {AssetKey(["test", "kpi_after_warn"]), AssetKey(["test", "kpi_after_error"])} <= done


def test_specs_follow_checks_yml() -> None:
    config = load_config()
    specs = {}
    for definition in build_quality_checks(config):
        for spec in definition.check_specs:
            specs[spec.name] = spec
    assert set(specs) == {c.name for c in config.checks}
    for check in config.checks:
        spec = specs[check.name]
        assert spec.asset_key == AssetKey(list(check.asset))
        assert spec.blocking  # downstream waits; only error severity stops it
        # ... and the description says so, since the UI labels every check "blocking"
        said = "stops the assets downstream" if check.severity == "error" else "still run"
        assert said in (spec.description or ""), (check.name, spec.description)
        deps = {d.asset_key for d in spec.additional_deps}
        # a rule waits for its dbt model (the view it counts), which dbt builds after what it reads
        assert deps == (
            {AssetKey(["quality", f"rule_{check.name}"])} if check.kind == "rule" else set()
        )
