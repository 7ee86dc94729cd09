"""The whole asset graph on demo data: ingestion -> dbt -> quality checks -> weekly report."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from dagster import AssetKey, DagsterInstance

from orchestration.assets.report import REPORT_KEY
from tests.ops.defs_factory import build_ops_definitions
from tests.ops.demo_build import DemoBuild

pytestmark = pytest.mark.slow


def test_whole_graph_materialises_on_demo_data(demo_build: DemoBuild) -> None:
    assert demo_build.success, "\n".join(demo_build.failures)
    defs = build_ops_definitions(demo_build.settings, ingest="real")
    graph = defs.resolve_asset_graph()
    keys = {k for k in graph.get_all_asset_keys() if graph.get(k).is_materializable}
    groups = {graph.get(k).group_name for k in keys}
    assert {"raw_salesforce", "raw_hubspot", "staging", "marts", "semantic", "reports"} <= groups
    assert "serving" in groups  # the BI serving file, after every mart
    with DagsterInstance.from_config(str(demo_build.dagster_home)) as instance:
        materialized = {k for k in keys if instance.get_latest_materialization_event(k) is not None}
        assert materialized == keys, sorted(k.to_user_string() for k in keys - materialized)
        record = instance.get_run_by_id(demo_build.run_id)
        assert record is not None
        assert "revops/window" not in record.tags  # a catch-up run: no dbt window
        # no partitions: a full build leaves no asset "0% filled" (assets/dbt.py says why)
        assert not [k for k in keys if graph.get(k).partitions_def is not None]
        evaluations = instance.event_log_storage.get_latest_asset_check_execution_by_key(
            list(graph.asset_check_keys)
        )
    # dbt tests and the quality rules ran as asset checks in the same run
    assert len(evaluations) >= 50
    check_names = {key.name for key in evaluations}
    assert "person_match" in check_names  # a consistency rule (quality checks)
    assert any(name.startswith("not_null_") for name in check_names)  # a dbt test
    report = demo_build.settings.reports_dir
    assert (report / "weekly_report.html").stat().st_size > 5_000
    assert (report / "weekly_report.md").exists()


def test_report_asset_depends_on_the_marts_it_reads(demo_build: DemoBuild, manifest: Path) -> None:
    graph = build_ops_definitions(demo_build.settings, ingest="real").resolve_asset_graph()
    parents = graph.get(REPORT_KEY).parent_keys
    for table in (
        "kpi_weekly_scorecard",
        "dim_person",
        "kpi_channel_performance",
        "fct_opportunities",
    ):
        assert AssetKey(["marts", table]) in parents
    assert graph.get(REPORT_KEY).group_name == "reports"
    assert graph.get(REPORT_KEY).pools == {"duckdb_writer"}


EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")


def test_no_email_of_the_landing_files_reaches_the_event_log(demo_build: DemoBuild) -> None:
    """Every event of the demo run, as the instance stores it (metadata of the checks, logs of
    every step), holds none of the emails the simulator wrote into the landing files."""
    from dagster_shared.serdes import serialize_value

    emails = {
        e.lower()
        for path in demo_build.settings.landing_dir.rglob("*")
        if path.suffix in (".csv", ".jsonl")
        for e in EMAIL.findall(path.read_text(errors="replace"))
    }
    with DagsterInstance.from_config(str(demo_build.dagster_home)) as instance:
        events = [serialize_value(e).lower() for e in instance.all_logs(demo_build.run_id)]
    text = "\n".join(events)
    assert len(emails) > 100 and len(events) > 500
    assert "person_match" in text and "sample_keys" in text  # the checks' metadata is there
    assert [e for e in emails if e in text] == []
