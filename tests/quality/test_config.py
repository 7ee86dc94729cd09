"""checks.yml, the GX file project and the rule models agree with each other."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from orchestration.quality.config import (
    EXPECTATIONS_DIR,
    GX_DIR,
    ChecksConfigError,
    load_config,
)
from orchestration.quality.suites import suite_for
from tests.rules_contract import ADDED_RULE_NAMES, RULE_NAMES

ALL_RULES = RULE_NAMES + ADDED_RULE_NAMES


def test_every_catalogue_rule_is_configured_in_order() -> None:
    config = load_config()
    assert tuple(r.name for r in config.rules) == ALL_RULES
    assert [r.number for r in config.rules] == list(range(1, len(ALL_RULES) + 1))
    for check in config.checks:
        assert check.severity in ("warn", "error")
        assert check.threshold >= 0
        assert suite_for(check).expectations, check.name


def test_every_suite_file_has_a_check_and_every_check_a_suite() -> None:
    config = load_config()
    files = {p.stem for p in (GX_DIR / "expectations").glob("*.json")}
    assert files == {s.name for s in config.suites} | {"cross_system"}
    cross = json.loads((GX_DIR / "expectations" / "cross_system.json").read_text())
    assert [e["meta"]["rule"] for e in cross["expectations"]] == list(ALL_RULES)
    # thresholds come from checks.yml only: the suite holds a parameter, never a number
    for expectation in cross["expectations"]:
        assert expectation["kwargs"]["max_value"] == {"$PARAMETER": "threshold"}
        assert expectation["type"] in (
            "expect_table_row_count_to_be_between",
            "expect_column_sum_to_be_between",
        )


def test_the_file_project_loads_in_a_gx_file_context(tmp_path: Path) -> None:
    import great_expectations as gx

    shutil.copytree(EXPECTATIONS_DIR, tmp_path / "expectations")
    context = gx.get_context(mode="file", project_root_dir=tmp_path / "expectations")
    names = {s.name for s in context.suites.all()}
    assert names == {p.stem for p in (GX_DIR / "expectations").glob("*.json")}


def test_config_errors_name_the_file_and_entry(tmp_path: Path) -> None:
    bad = tmp_path / "checks.yml"
    bad.write_text(
        "rules:\n  orphans:\n    severity: fatal\n    threshold: 0\n    asset: [marts, x]\n"
    )
    with pytest.raises(ChecksConfigError, match=r"rules\.orphans\.severity='fatal'"):
        load_config(bad)
    bad.write_text(
        "rules:\n  orphans:\n    severity: warn\n    threshold: -1\n    asset: [marts, x]\n"
    )
    with pytest.raises(ChecksConfigError, match=r"orphans\.threshold=-1"):
        load_config(bad)
    bad.write_text("rules:\n  no_such_rule:\n    severity: warn\n    threshold: 0\n    asset: x\n")
    with pytest.raises(
        ChecksConfigError, match=r"models/quality/rule_no_such_rule\.sql does not exist"
    ):
        load_config(bad)
    # a rule's options are dbt vars: checks.yml has no second home for them
    bad.write_text(
        "rules:\n  orphans:\n    severity: warn\n    threshold: 0\n    asset: x\n    max_age: 3\n"
    )
    with pytest.raises(ChecksConfigError, match=r"orphans: unknown field\(s\) max_age"):
        load_config(bad)


def test_the_check_history_source_names_the_table_the_runner_writes() -> None:
    """kpi_weekly_scorecard reads the history through the dbt source; the runner appends to
    history.SCHEMA.TABLE: both must name one table with the same columns."""
    import yaml

    from orchestration.quality import history
    from orchestration.settings import PROJECT_DIR

    doc = yaml.safe_load((PROJECT_DIR / "models/quality/_quality__sources.yml").read_text())
    (source,) = [s for s in doc["sources"] if s["name"] == "revops_quality"]
    (table,) = source["tables"]
    assert (source["schema"], table["name"]) == (history.SCHEMA, history.TABLE)
    assert tuple(c["name"] for c in table["columns"]) == history.COLUMNS


def test_rules_and_the_check_history_are_in_dbt_lineage(dbt_manifest: Path) -> None:
    """Each rule is a view of the quality schema reading through source()/ref() only (no raw
    schema written out, so the source-schema vars apply); the scorecard reads the check history
    through the staging model over that source; freshness monitors the tables (and ages) the
    simulator's connectors promise."""
    from orchestration.quality.models import SCHEMA
    from simulator.world import MONITORED_TABLES

    manifest = json.loads(dbt_manifest.read_text())
    nodes, sources = manifest["nodes"], manifest["sources"]
    for rule in load_config().rules:
        node = nodes[f"model.revops.{rule.model}"]
        assert (node["config"]["schema"], node["config"]["materialized"]) == (SCHEMA, "view")
        assert node["depends_on"]["nodes"], rule.name
        code = re.sub(r"\{#.*?#\}|--[^\n]*", "", node["raw_code"], flags=re.S)  # comments
        assert not re.search(r"\b(raw_[a-z]+|staging|intermediate|marts)\.", code), rule.name
    # the scorecard reads the check history through its staging model (no mart reads a source)
    scorecard = nodes["model.revops.kpi_weekly_scorecard"]
    history_model = "model.revops.stg_revops_quality__dq_check_results"
    assert history_model in scorecard["depends_on"]["nodes"]
    assert not [n for n in scorecard["depends_on"]["nodes"] if n.startswith("source.")]
    assert nodes[history_model]["depends_on"]["nodes"] == [
        "source.revops.revops_quality.dq_check_results"
    ]
    # ephemeral: inlined when the scorecard builds, after the checks wrote the run's rows
    assert nodes[history_model]["config"]["materialized"] == "ephemeral"
    monitored = {
        f"{s['source_name']}/{s['name']}": s["freshness"]["warn_after"]
        for s in sources.values()
        if (s.get("freshness") or {}).get("warn_after", {}).get("count")
    }
    assert monitored == {
        table: {"count": age // 3600, "period": "hour"} for table, age in MONITORED_TABLES.items()
    }
    freshness = nodes["model.revops.rule_freshness"]["depends_on"]["nodes"]
    assert {f"source.revops.{t.replace('/', '.')}" for t in MONITORED_TABLES} <= set(freshness)
