"""Fast checks of the operations wiring: instance config, jobs, run tags, dbt arguments."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest
import yaml
from dagster import DagsterInstance

from orchestration.assets.dbt import (
    FULL_REFRESH_TAG,
    WINDOW_TAG,
    dbt_build_args,
    is_transient,
    window_from_tags,
    window_tag,
    window_vars,
)
from orchestration.settings import PROJECT_DIR
from tests.ops.defs_factory import build_ops_definitions

JOB_NAMES = {"full_pipeline", "full_refresh", "daily_incremental", "load", "build", "report"}


def test_dagster_yaml_serialises_warehouse_writers(tmp_path: Path) -> None:
    """dagster.yaml loads (run_queue and concurrency must not both be set) with pools of 1."""
    overrides = yaml.safe_load((PROJECT_DIR / "dagster.yaml").read_text())
    with DagsterInstance.local_temp(tempdir=str(tmp_path), overrides=overrides) as instance:
        config = instance.get_concurrency_config()
    assert config.pool_config.default_pool_limit == 1
    assert config.pool_config.pool_granularity.value == "op"
    assert config.run_queue_config.max_concurrent_runs == 1
    assert "run_queue" not in overrides


def test_jobs_are_not_partitioned(manifest: Path) -> None:
    """A full build leaves every asset materialized, none "0% filled": no job or asset has
    partitions (orchestration/assets/dbt.py says why)."""
    defs = build_ops_definitions(ingest="stand_in", checks=False)
    for name in JOB_NAMES:
        assert defs.resolve_job_def(name).partitions_def is None, name
    full_refresh = defs.resolve_job_def("full_refresh")
    assert full_refresh.tags[FULL_REFRESH_TAG] == "true"
    graph = defs.resolve_asset_graph()
    partitioned = [k for k in graph.get_all_asset_keys() if graph.get(k).partitions_def]
    assert partitioned == []


def test_a_runs_window_is_its_tag() -> None:
    assert window_from_tags({}) == {}
    assert window_from_tags({WINDOW_TAG: "all"}) == {}
    assert window_tag(date(2025, 3, 1), date(2025, 3, 3)) == {WINDOW_TAG: "2025-03-01..2025-03-03"}
    assert window_from_tags({WINDOW_TAG: "2025-03-01..2025-03-03"}) == {
        "min_date": "2025-03-01",
        "max_date": "2025-03-03",
    }
    # a full refresh rebuilds everything: no window
    assert window_from_tags({WINDOW_TAG: "2025-03-01..2025-03-03", FULL_REFRESH_TAG: "true"}) == {}
    for bad in ("2025-03-01", "2025-03-03..2025-03-01", "2025-03-01..next week"):
        with pytest.raises(ValueError, match="revops/window"):
            window_from_tags({WINDOW_TAG: bad})


def test_load_only_loads_and_the_pipelines_keep_the_raw_suites(manifest: Path) -> None:
    """`revops load` is ingestion alone; the raw suites still run before dbt in the pipelines."""
    defs = build_ops_definitions()
    raw_checks = {
        k
        for k in defs.resolve_asset_graph().asset_check_keys
        if k.asset_key.path[0].startswith("raw_")
    }
    assert raw_checks, "the raw-table suites are missing from the definitions"
    load = defs.resolve_job_def("load")
    assert {k.path[0] for k in load.asset_layer.executable_asset_keys} == {
        "raw_salesforce",
        "raw_hubspot",
        "raw_ads",
        "raw_web",
    }
    assert not load.asset_layer.asset_graph.asset_check_keys
    for name in ("full_pipeline", "full_refresh", "daily_incremental"):
        graph = defs.resolve_job_def(name).asset_layer.asset_graph
        assert raw_checks <= set(graph.asset_check_keys), name
        # every suite is blocking (dbt waits for them); only an error severity would stop it,
        # and row-level findings are warnings (severity policy, expectations/checks.yml)
        specs = [graph.get_check_spec(k) for k in raw_checks]
        assert all(s.blocking for s in specs), f"{name}: the raw suites must gate dbt"
        assert {s.metadata["severity"] for s in specs} == {"warn"}, name


def test_every_warehouse_step_is_in_the_writer_pool(manifest: Path) -> None:
    graph = build_ops_definitions(ingest="stand_in", checks=False).resolve_asset_graph()
    for key in graph.get_all_asset_keys():
        if graph.get(key).is_materializable:
            assert graph.get(key).pools == {"duckdb_writer"}, key.to_user_string()


def test_dbt_arguments() -> None:
    assert window_vars(date(2025, 3, 1), date(2025, 3, 3)) == {
        "min_date": "2025-03-01",
        "max_date": "2025-03-03",
    }
    build = ["build", "--exclude-resource-type", "unit_test"]  # unit tests run in CI, not daily
    as_of = datetime(2026, 1, 1, 8)
    run_vars = ["--vars", '{"as_of": "2026-01-01T08:00:00Z"}']
    assert dbt_build_args({}, as_of) == [*build, *run_vars]
    full = dbt_build_args({FULL_REFRESH_TAG: "true"}, as_of)
    assert full == [*build, "--full-refresh", *run_vars]
    args = dbt_build_args({}, as_of, {"min_date": "2025-03-01", "max_date": "2025-03-02"})
    window = '"as_of": "2026-01-01T08:00:00Z", "max_date": "2025-03-02", "min_date": "2025-03-01"'
    assert args == [*build, "--vars", "{" + window + "}"]


@pytest.mark.parametrize(
    ("message", "transient"),
    [
        ('IO Error: Could not set lock on file "w.duckdb": Conflicting lock is held', True),
        ("could not connect to server: Connection refused", True),
        ("Compilation Error in model stg_salesforce__leads", False),
        ("Runtime Error: column email does not exist", False),
    ],
)
def test_only_lock_and_connection_errors_are_retried(message: str, transient: bool) -> None:
    assert is_transient(RuntimeError(message)) is transient


def kpi_step_problems(nodes: dict[str, dict]) -> list[str]:
    """How the manifest's models break 'the KPI step builds every kpi_* model and only those':
    a kpi_* model outside it would be built before the blocking checks that guard the facts."""
    problems = []
    for node in nodes.values():
        if node["resource_type"] != "model":
            continue
        is_kpi_name = node["name"].startswith("kpi_")
        if is_kpi_name != ("kpi" in node["tags"]):
            tagged = not is_kpi_name
            problems.append(f"{node['name']}: name kpi_* = {is_kpi_name}, tag kpi = {tagged}")
    return problems


def test_every_kpi_mart_waits_for_the_blocking_checks(dbt_manifest: Path) -> None:
    nodes = json.loads(dbt_manifest.read_text())["nodes"]
    assert kpi_step_problems(nodes) == []
    # the rule fires on a kpi_* model without the tag
    untagged = {"m": {"resource_type": "model", "name": "kpi_new", "tags": []}}
    assert kpi_step_problems(untagged) == ["kpi_new: name kpi_* = True, tag kpi = False"]
