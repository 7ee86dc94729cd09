"""Test helper: a demo warehouse (simulator -> loader -> the dbt models the rules read).

Skips (with the reason) when the simulator or the loader is not importable yet. dbt runs as a
subprocess against the temporary DuckDB file, with its own target and log paths so it never
touches the repository's target/ folder, and only for the rule models (tag:quality) and the
models they read.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from orchestration.run_settings import dbt_vars_args, resolve_as_of
from orchestration.settings import PROJECT_DIR, Settings
from tests.parse_once import linked_env, parse_key, shared_parse_state

#: the rule models (dbt_project.yml tags models/quality) and everything upstream of them
RULE_MODELS = "+tag:quality"


@dataclass(frozen=True)
class DemoWarehouse:
    """A loaded (and dbt-built) demo warehouse and the simulator's ground truth."""

    settings: Settings
    truth: dict[str, Any]


def dbt_build(settings: Settings, work: Path, select: str = RULE_MODELS) -> None:
    """dbt build of the selection (tests excluded: not ours to judge)."""
    target = work / "dbt_target"
    dbt = Path(sys.executable).with_name("dbt")
    cmd = [
        str(dbt if dbt.exists() else "dbt"),
        "build",
        "--project-dir",
        str(PROJECT_DIR),
        "--profiles-dir",
        str(PROJECT_DIR),
        "--target-path",
        str(target),
        "--log-path",
        str(work / "dbt_logs"),
        "--exclude-resource-type",
        "test",
        "unit_test",
        "--select",
        select,
        *dbt_vars_args(resolve_as_of(settings.as_of)),
    ]
    env = linked_env({**os.environ, **settings.to_env()})  # tests/parse_once.py
    with shared_parse_state(target, parse_key(env, cmd)):
        done = subprocess.run(cmd, env=env, cwd=PROJECT_DIR, capture_output=True, text=True)
    if done.returncode != 0:
        raise AssertionError(f"dbt build failed:\n{done.stdout[-6000:]}\n{done.stderr[-3000:]}")


def build_demo(
    work: Path, inconsistency_rate: float, scale: float = 0.05, dbt_work: Path | None = None
) -> DemoWarehouse:
    """Generate, load and build one demo warehouse under ``work``.

    ``dbt_work``: where dbt keeps its target folder; sharing it between warehouses lets the
    second build reuse the first one's parse (partial parsing).
    """
    simulator = pytest.importorskip("simulator", reason="the simulator is not importable yet")
    if not hasattr(simulator, "generate"):
        pytest.skip("simulator.generate does not exist yet")
    ingest = pytest.importorskip("orchestration.ingest", reason="the loader is not importable yet")
    landing = work / "landing"
    # unconvertible_currency: the demo breaks every rule on purpose, reconciliation included
    # (a won opportunity in CHF, which no rate converts; off in the default company).
    simulator.generate(
        landing,
        scale=scale,
        seed=1,
        inconsistency_rate=inconsistency_rate,
        unconvertible_currency="CHF",
    )
    truth = json.loads((landing / "ground_truth.json").read_text())
    settings = Settings.from_env({}).with_(
        target="duckdb",
        duckdb_path=work / "warehouse.duckdb",
        landing_dir=landing,
        reports_dir=work / "reports",
        as_of=str(truth["as_of"]),
    )
    ingest.load_landing(settings, landing)
    dbt_build(settings, dbt_work or work)
    return DemoWarehouse(settings=settings, truth=truth)
