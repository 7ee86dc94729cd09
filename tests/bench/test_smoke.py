"""Smoke test of the benchmark harness: a tiny real run, and the parts that must fail.

The tiny real run (about 5 minutes: 15 dbt and revops processes) runs first thing in
`make bench`, which sets REVOPS_BENCH_SMOKE=1, not in `make test`: it guards the harness, a
developer's tool, and the product's own end-to-end runs are tested in tests/foundation and
tests/ops. The harness's arithmetic below is tested everywhere.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import pytest

from benchmarks.cli import SMOKE_SCALE, run_benchmarks
from benchmarks.manifest import composition
from benchmarks.pipeline import merge_rounds
from benchmarks.procs import StepFailed, run_step
from benchmarks.report import markdown, summarise

REQUIRED_KEYS = (
    "machine",
    "date",
    "scales",
    "incremental_over_full",
    "dbt_over_engine_floor",
    "ingest_over_duckdb_floor",
    "pipeline_seconds_scale10",
    "peak_rss_gib_scale10",
    "scaling_10_over_1",
    "targets",
    "slowest_models",
)
MEASURED_STEPS = (
    "generate",
    "generate_batch",
    "ingest_floor",
    "ingest",
    "engine_floor",
    "dbt_seed",
    "dbt_run",
    "dbt_test",
    "dbt_build_models",
    "dbt_build_full",
    "check",
    "ingest_batch",
    "dbt_build_incremental",
    "dagster_job",
)


SMOKE_RUN = os.environ.get("REVOPS_BENCH_SMOKE") == "1"


@pytest.fixture(scope="module")
def smoke(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], Path]:
    root = tmp_path_factory.mktemp("bench")
    summary = run_benchmarks([SMOKE_SCALE], root / "results", root / "work", echo=lambda _m: None)
    return summary, root / "results"


@pytest.mark.slow
@pytest.mark.skipif(not SMOKE_RUN, reason="the harness's real run: `make bench` runs it")
def test_smoke_run_writes_every_figure(smoke: tuple[dict[str, Any], Path]) -> None:
    summary, out = smoke
    on_disk = json.loads((out / "latest.json").read_text())
    assert on_disk == json.loads(json.dumps(summary))
    for key in REQUIRED_KEYS:
        assert key in on_disk, key
    assert on_disk["machine"]["cores"] >= 1 and on_disk["machine"]["memory_gib"] > 0
    steps = on_disk["per_scale"][f"{SMOKE_SCALE:g}"]["steps"]
    for name in MEASURED_STEPS:
        assert steps[name]["seconds"] > 0, name
        assert steps[name]["peak_rss_gib"] > 0, name
    job = steps["dagster_job"]
    assert job["exit_code"] == 0, f"the Dagster job failed: {job.get('breakdown')}"
    assert job["breakdown"]["steps"], "no Dagster step durations parsed from the job's log"
    # the floors were measured and turned into ratios
    for key in ("dbt_over_engine_floor", "ingest_over_duckdb_floor", "incremental_over_full"):
        assert isinstance(on_disk[key], float) and on_disk[key] > 0, key
    assert on_disk["slowest_models"][f"{SMOKE_SCALE:g}"], "no model timing from run_results"
    assert (out / "latest.png").stat().st_size > 1000
    assert "| dbt_run |" in (out / "latest.md").read_text()
    # where the incremental build's time went, from its own run_results
    comp = on_disk["per_scale"][f"{SMOKE_SCALE:g}"]["composition"]["dbt_build_incremental"]
    assert comp["models (table)"] > 0 and comp["data tests"] > 0, comp
    assert comp["outside the node graph"] > 0, comp
    assert "## Where dbt build's time goes" in (out / "latest.md").read_text()


def test_a_failing_step_names_itself_and_shows_its_stderr(tmp_path: Path) -> None:
    cmd = [sys.executable, "-c", "import sys; print('doing work'); sys.exit('disk on fire')"]
    with pytest.raises(StepFailed) as info:
        run_step("ingest", cmd, log_dir=tmp_path)
    text = str(info.value)
    assert "'ingest'" in text and "exit code 1" in text
    assert "disk on fire" in text and "doing work" in text


def test_peak_rss_counts_the_whole_process_tree(tmp_path: Path) -> None:
    child = "b = bytearray(200 * 2**20); b[::4096] = b'x' * len(b[::4096])"
    parent = (
        "import subprocess, sys; a = bytearray(100 * 2**20); a[::4096] = b'y' * len(a[::4096]);"
        f"subprocess.run([sys.executable, '-c', {child!r}], check=True)"
    )
    result = run_step("tree", [sys.executable, "-c", parent], log_dir=tmp_path)
    assert result.max_process_rss_gib > 0.19  # the child's 200 MiB, seen through wait4
    assert result.peak_rss_gib >= result.max_process_rss_gib


def _steps(scale: float, floor: float = 1.0) -> dict[str, Any]:
    def step(seconds: float) -> dict[str, float]:
        return {"seconds": seconds * scale, "peak_rss_gib": 0.1 * scale}

    return {
        "steps": {
            "ingest_floor": step(floor),
            "ingest": step(2.0),
            "engine_floor": step(floor),
            "dbt_seed": step(0.5),
            "dbt_run": step(1.5),
            "dbt_build_models": step(2.0),
            "dbt_build_full": step(4.0),
            "dbt_build_incremental": step(2.0),
            "dagster_job": step(20.0),
        }
    }


def test_summary_computes_ratios_and_can_miss_targets() -> None:
    machine = {"cores": 2, "memory_gib": 24.0, "cpu": "x", "versions": {}}
    summary = summarise({"1": _steps(1), "10": _steps(10)}, machine, "2026-01-01T00:00:00+00:00")
    assert summary["ingest_over_duckdb_floor"] == 2.0
    assert summary["dbt_over_engine_floor"] == 2.0
    assert summary["dbt_steps_over_engine_floor"] == 2.0  # seed 0.5 + run 1.5
    assert summary["incremental_over_full"] == 0.5
    assert summary["pipeline_seconds_scale10"] == 200.0
    assert summary["scaling_10_over_1"]["dbt_run"] == 10.0
    met = {t["key"]: t["met"] for t in summary["targets"]}
    assert met == {
        "incremental_over_full": False,
        "dbt_over_engine_floor": False,
        "ingest_over_duckdb_floor": True,
        "pipeline_seconds_scale10": True,
        "peak_rss_gib_scale10": True,
        "scaling_10_over_1": True,
    }
    assert "**missed**" in markdown(summary)


def test_targets_are_not_judged_without_scale_10() -> None:
    machine = {"cores": 2, "memory_gib": 24.0, "cpu": "x", "versions": {}}
    summary = summarise({"0.5": _steps(0.5)}, machine, "2026-01-01T00:00:00+00:00")
    assert summary["dbt_over_engine_floor"] == 2.0  # headline ratios come from the largest scale
    assert summary["pipeline_seconds_scale10"] is None
    assert all(t["met"] is None for t in summary["targets"])


def test_composition_splits_models_by_materialization_and_keeps_the_wall_gap() -> None:
    manifest = {
        "nodes": {
            "model.p.a": {"config": {"materialized": "table"}},
            "model.p.b": {"config": {"materialized": "incremental"}},
            "model.p.c": {"config": {"materialized": "table"}},
        },
        "unit_tests": {"unit_test.p.a.u": {}},
    }
    results = [
        {"unique_id": "model.p.a", "execution_time": 2.0},
        {"unique_id": "model.p.b", "execution_time": 1.5},
        {"unique_id": "model.p.c", "execution_time": 1.0},
        {"unique_id": "test.p.unique_a", "execution_time": 0.25},
        {"unique_id": "unit_test.p.a.u", "execution_time": 0.5},
        {"unique_id": "seed.p.s", "execution_time": 0.1},
    ]
    comp = composition(results, manifest, wall_seconds=10.0, elapsed=4.0)
    assert comp["models (table)"] == 3.0
    assert comp["models (incremental)"] == 1.5
    assert comp["data tests"] == 0.25 and comp["unit tests"] == 0.5 and comp["seeds"] == 0.1
    assert comp["elapsed (dbt's clock)"] == 4.0 and comp["outside the node graph"] == 6.0
    assert next(iter(comp)) == "models (table)"  # largest first


def test_rounds_keep_the_fastest_time_and_the_highest_memory() -> None:
    def round_(seconds: float, rss: float) -> dict[str, Any]:
        step = {
            "seconds": seconds,
            "peak_rss_gib": rss,
            "max_process_rss_gib": rss,
            "tree_rss_gib": rss,
        }
        return {
            "steps": {"dbt_run": step},
            "slowest_models": {"dbt_run": [{"s": seconds}]},
            "engine_floor_slowest": [],
            "notes": [],
        }

    merged = merge_rounds([round_(9.0, 1.0), round_(6.0, 0.5)])
    assert merged["steps"]["dbt_run"]["seconds"] == 6.0
    assert merged["steps"]["dbt_run"]["peak_rss_gib"] == 1.0
    assert merged["steps"]["dbt_run"]["rounds_seconds"] == [9.0, 6.0]
    assert merged["slowest_models"]["dbt_run"] == [{"s": 6.0}]


def test_benchmark_builds_leave_out_what_the_dagster_step_leaves_out() -> None:
    """dbt_build_full / dbt_build_incremental measure the build the product runs."""
    from benchmarks.pipeline import PRODUCTION_EXCLUDES as bench
    from orchestration.assets.dbt import PRODUCTION_EXCLUDES as product

    assert bench == product
