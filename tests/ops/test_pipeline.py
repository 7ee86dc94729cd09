"""In-process runs of the asset graph: partitions as one backfill run, and resume from failure.

These runs use the stand-in ingestion (tests/ops/stand_in_ingest.py: every raw table of the
contract, empty where the landing folder has no file) so they exercise the orchestration
whatever state the loader and the simulator are in; the demo-data run with the real loader is
in test_demo_pipeline.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
import yaml
from dagster import AssetKey, BackfillPolicy, DagsterInstance, ReexecutionOptions, execute_job

from orchestration.jobs import catch_up_run
from orchestration.settings import PROJECT_DIR, Settings
from tests.journey.raw_loader import load as load_raw
from tests.ops.defs_factory import build_ops_definitions
from tests.ops.recon import IN_PROCESS, ops_job, reconstructable_ops_job

pytestmark = pytest.mark.slow

INCREMENTAL_KEY = AssetKey(["marts", "fct_customer_journey"])


@pytest.fixture
def instance(tmp_path: Path) -> Iterator[DagsterInstance]:
    """A persistent temporary instance with the project's dagster.yaml (pools, run queue)."""
    overrides = yaml.safe_load((PROJECT_DIR / "dagster.yaml").read_text())
    (tmp_path / "dagster_home").mkdir()
    with DagsterInstance.local_temp(
        tempdir=str(tmp_path / "dagster_home"), overrides=overrides
    ) as inst:
        yield inst


def _settings(ops_settings: Settings) -> Settings:
    ops_settings.landing_dir.mkdir(parents=True, exist_ok=True)
    return ops_settings


def _failures(result: object) -> list[str]:
    """The error messages of failed steps (for assertion messages)."""
    out = []
    for event in result.all_events:  # type: ignore[attr-defined]
        if event.is_step_failure and event.event_specific_data.error:
            out.append(event.event_specific_data.error.to_string()[-3000:])
    return out


def _logs(instance: DagsterInstance, run_id: str) -> list[str]:
    return [e.user_message for e in instance.all_logs(run_id)]


def test_incremental_step_is_partitioned_with_single_run_backfills(manifest: Path) -> None:
    defs = build_ops_definitions(ingest="stand_in", checks=False)
    graph = defs.resolve_asset_graph()
    node = graph.get(INCREMENTAL_KEY)
    assert node.partitions_def is not None
    assert node.partitions_def.get_first_partition_key() == "2025-01-01"
    assert node.backfill_policy is not None
    assert node.backfill_policy == BackfillPolicy.single_run()
    # one core step: staging to core marts share the partitions (one dbt build per run)
    assert graph.get(AssetKey(["staging", "stg_salesforce__leads"])).partitions_def is not None


def test_backfill_of_two_partitions_is_one_run(
    manifest: Path, ops_settings: Settings, instance: DagsterInstance
) -> None:
    settings = _settings(ops_settings)
    defs = build_ops_definitions(settings, ingest="stand_in", checks=False)
    job = defs.resolve_job_def("daily_incremental")
    # A single-run backfill is one run tagged with the partition range (what the daemon
    # launches for BackfillPolicy.single_run()).
    result = job.execute_in_process(
        instance=instance,
        tags={
            "dagster/asset_partition_range_start": "2025-03-01",
            "dagster/asset_partition_range_end": "2025-03-02",
        },
        raise_on_error=False,
    )
    assert result.success, _failures(result)
    assert len(instance.get_run_records()) == 1
    materialized = instance.get_materialized_partitions(INCREMENTAL_KEY)
    assert materialized == {"2025-03-01", "2025-03-02"}
    logs = " ".join(m for m in _logs(instance, result.run_id) if m)
    assert "'min_date': '2025-03-01', 'max_date': '2025-03-03'" in logs
    assert '"min_date": "2025-03-01"' in logs  # the dbt command line carries the window


def test_run_fails_midway_and_resumes_from_failure(
    manifest: Path, ops_settings: Settings, instance: DagsterInstance
) -> None:
    settings = _settings(ops_settings)
    # Corrupt the input of stg_salesforce__leads: a raw lead table whose created_date is text
    # (absent columns would be filled by contract_source; a wrong type cannot be).
    con = duckdb.connect(str(settings.duckdb_path))
    con.execute("create schema raw_salesforce")
    con.execute('create table raw_salesforce."lead" (id varchar, created_date varchar)')
    con.close()
    job = reconstructable_ops_job("full_pipeline", settings)
    # what `revops run` does: the latest partition, no dbt window
    run = catch_up_run(ops_job("full_pipeline", *_paths(settings)))
    tags = {**run["tags"], "dagster/partition": run["partition_key"]}

    with execute_job(job, instance, run_config=IN_PROCESS, tags=tags) as first:
        assert not first.success
        failed = {e.step_key for e in first.all_events if e.is_step_failure}
        first_run_id = first.run_id
    assert failed == {"revops_dbt_core"}, failed

    # Fix the input, then re-execute from the failure: the load step is not run again.
    con = duckdb.connect(str(settings.duckdb_path))
    con.execute('drop table raw_salesforce."lead"')
    con.close()
    load_raw(settings.landing_dir, settings.duckdb_path)

    # (the UI copies the parent's tags, partition included; execute_job needs them passed)
    options = ReexecutionOptions.from_failure(first_run_id, instance)
    with execute_job(
        job, instance, run_config=IN_PROCESS, tags=tags, reexecution_options=options
    ) as resumed:
        assert resumed.success, _failures(resumed)
        steps = {e.step_key for e in resumed.all_events if e.is_step_success}
        resumed_run_id = resumed.run_id
    record = instance.get_run_by_id(resumed_run_id)
    assert record is not None and record.parent_run_id == first_run_id
    assert record.tags.get("dagster/partition") == run["partition_key"]
    assert "stand_in_load_landing" not in steps
    assert failed <= steps
    assert "min_date" not in " ".join(m for m in _logs(instance, resumed_run_id) if m)
    materialization = instance.get_latest_materialization_event(INCREMENTAL_KEY)
    assert materialization is not None and materialization.run_id == resumed_run_id


def _paths(settings: Settings) -> tuple[str, str, str, str]:
    return (
        str(settings.duckdb_path),
        str(settings.landing_dir),
        str(settings.reports_dir),
        settings.as_of,
    )
