"""In-process runs of the asset graph: a window of days as one run, and resume from failure.

These runs use the stand-in ingestion (tests/ops/stand_in_ingest.py: every raw table of the
contract, empty where the landing folder has no file) so they exercise the orchestration
whatever state the loader and the simulator are in; the demo-data run with the real loader is
in test_demo_pipeline.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import duckdb
import pytest
import yaml
from dagster import AssetKey, DagsterInstance, ReexecutionOptions, execute_job

from orchestration.assets.dbt import window_tag
from orchestration.settings import PROJECT_DIR, Settings
from tests.journey.raw_loader import load as load_raw
from tests.ops.defs_factory import build_ops_definitions
from tests.ops.recon import IN_PROCESS, reconstructable_ops_job

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


def test_reprocessing_two_days_is_one_run_with_a_window(
    manifest: Path, ops_settings: Settings, instance: DagsterInstance
) -> None:
    settings = _settings(ops_settings)
    defs = build_ops_definitions(settings, ingest="stand_in", checks=False)
    job = defs.resolve_job_def("daily_incremental")
    # what an operator launches to reprocess 1-2 March: one run tagged with the window
    result = job.execute_in_process(
        instance=instance, tags=window_tag(date(2025, 3, 1), date(2025, 3, 3)), raise_on_error=False
    )
    assert result.success, _failures(result)
    assert len(instance.get_run_records()) == 1
    materialization = instance.get_latest_materialization_event(INCREMENTAL_KEY)
    assert materialization is not None and materialization.run_id == result.run_id
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
    tags = {"revops/trigger": "test"}  # what `revops run` does: no dbt window

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

    # (the UI copies the parent's tags; execute_job needs them passed)
    options = ReexecutionOptions.from_failure(first_run_id, instance)
    with execute_job(
        job, instance, run_config=IN_PROCESS, tags=tags, reexecution_options=options
    ) as resumed:
        assert resumed.success, _failures(resumed)
        steps = {e.step_key for e in resumed.all_events if e.is_step_success}
        resumed_run_id = resumed.run_id
    record = instance.get_run_by_id(resumed_run_id)
    assert record is not None and record.parent_run_id == first_run_id
    assert record.tags.get("revops/trigger") == "test"
    assert "stand_in_load_landing" not in steps
    assert failed <= steps
    assert "min_date" not in " ".join(m for m in _logs(instance, resumed_run_id) if m)
    materialization = instance.get_latest_materialization_event(INCREMENTAL_KEY)
    assert materialization is not None and materialization.run_id == resumed_run_id
