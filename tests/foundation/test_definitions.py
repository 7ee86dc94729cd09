"""The Dagster definitions load, and their shape is a reviewed snapshot.

A renamed asset, check, job, schedule or sensor, or a step moved into or out of a job, is a
visible change: regenerate the snapshot with
`REVOPS_UPDATE_SNAPSHOT=1 pytest tests/foundation/test_definitions.py` and commit it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

SNAPSHOT = Path(__file__).with_name("definitions_snapshot.json")


@pytest.fixture(scope="module")
def defs():
    from orchestration.dbt_project import prepare_manifest

    prepare_manifest()
    from orchestration.definitions import defs

    return defs


def shape(defs) -> dict[str, list[str]]:
    graph = defs.resolve_asset_graph()
    jobs = [j for j in defs.resolve_all_job_defs() if not j.name.startswith("__")]
    return {
        "assets": sorted(k.to_user_string() for k in graph.get_all_asset_keys()),
        "asset_checks": sorted(
            f"{c.asset_key.to_user_string()}:{c.name}" for c in graph.asset_check_keys
        ),
        "jobs": sorted(j.name for j in jobs),
        # which steps (ingestion, dbt, check steps, report) each job runs
        "job_steps": sorted(f"{j.name}:{step}" for j in jobs for step in j.graph.node_dict),
        "schedules": sorted(s.name for s in defs.schedules or []),
        "sensors": sorted(s.name for s in defs.sensors or []),
    }


def test_definitions_match_the_snapshot(defs):
    current = shape(defs)
    if os.environ.get("REVOPS_UPDATE_SNAPSHOT") or not SNAPSHOT.exists():
        SNAPSHOT.write_text(json.dumps(current, indent=2) + "\n")
        if not os.environ.get("REVOPS_UPDATE_SNAPSHOT"):
            pytest.fail(f"no snapshot yet: wrote {SNAPSHOT}, review and commit it")
    expected = json.loads(SNAPSHOT.read_text())
    for kind in expected:
        missing = sorted(set(expected[kind]) - set(current[kind]))
        added = sorted(set(current[kind]) - set(expected[kind]))
        assert not missing and not added, (
            f"{kind} changed: missing {missing[:10]}, added {added[:10]} "
            "(regenerate with REVOPS_UPDATE_SNAPSHOT=1 if intended)"
        )


def test_the_graph_is_one_piece_from_raw_to_marts(defs):
    graph = defs.resolve_asset_graph()
    keys = {k.to_user_string(): k for k in graph.get_all_asset_keys()}
    journey = keys["marts/fct_customer_journey"]
    upstream = {k.path[0] for k in graph.get_ancestor_asset_keys(journey)}
    # The journey depends, through staging, on the raw tables the loader materialises.
    assert {"raw_salesforce", "raw_hubspot", "raw_web", "staging"} <= upstream
    raw = graph.get(keys["raw_salesforce/lead"])
    assert raw.is_materializable, "raw tables must be loader assets, not external sources"


def test_the_ui_and_the_cli_load_the_same_object(defs):
    import orchestration.definitions as module

    assert module.defs is defs
    from orchestration.cli import STEP_JOBS

    for job_name in STEP_JOBS.values():
        assert defs.resolve_job_def(job_name) is not None
