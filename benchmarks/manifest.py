"""Reading dbt artifacts: dependency order from manifest.json, timings from run_results.json."""

from __future__ import annotations

import json
from collections import Counter
from graphlib import TopologicalSorter
from pathlib import Path
from typing import Any

EXECUTABLE = ("seed", "snapshot", "model")


def executable_nodes(manifest: dict[str, Any]) -> list[dict[str, Any]]:
    """Enabled seeds, snapshots and non-ephemeral models, dependencies first.

    Ephemeral models are left out: dbt inlines them as CTEs in the compiled SQL of their
    dependants. Ties are broken by seeds, then snapshots, then models, then name, so the order
    is stable between runs.
    """
    nodes = {
        uid: n
        for uid, n in manifest.get("nodes", {}).items()
        if n.get("resource_type") in EXECUTABLE
        and (n.get("config") or {}).get("enabled", True)
        and (n.get("config") or {}).get("materialized") != "ephemeral"
    }
    graph = {
        uid: [d for d in (n.get("depends_on") or {}).get("nodes", []) if d in nodes]
        for uid, n in nodes.items()
    }
    sorter = TopologicalSorter(graph)
    sorter.prepare()
    ordered: list[str] = []
    rank = {kind: i for i, kind in enumerate(EXECUTABLE)}
    while sorter.is_active():
        ready = sorted(sorter.get_ready(), key=lambda u: (rank[nodes[u]["resource_type"]], u))
        ordered.extend(ready)
        sorter.done(*ready)
    return [nodes[u] for u in ordered]


def has_snapshots(manifest_path: Path) -> bool:
    manifest = json.loads(manifest_path.read_text())
    return any(n.get("resource_type") == "snapshot" for n in manifest.get("nodes", {}).values())


def read_run_results(path: Path) -> list[dict[str, Any]]:
    """The results of a dbt invocation ([] when the file is missing)."""
    if not path.exists():
        return []
    return list(json.loads(path.read_text()).get("results") or [])


def slowest_models(results: list[dict[str, Any]], top: int = 10) -> list[dict[str, Any]]:
    """The models (and seeds/snapshots) that took longest, by dbt's own execution_time."""
    rows = [
        {
            "model": r["unique_id"].split(".", 2)[-1],
            "unique_id": r["unique_id"],
            "seconds": round(float(r.get("execution_time") or 0.0), 3),
            "status": r.get("status"),
        }
        for r in results
        if r.get("unique_id", "").split(".")[0] in EXECUTABLE
    ]
    return sorted(rows, key=lambda r: r["seconds"], reverse=True)[:top]


def status_counts(results: list[dict[str, Any]]) -> dict[str, dict[str, int]]:
    """resource type -> status -> count (e.g. {'model': {'success': 38}, 'test': {'pass': 90}})."""
    counts: dict[str, Counter[str]] = {}
    for r in results:
        kind = r.get("unique_id", "?").split(".")[0]
        counts.setdefault(kind, Counter())[str(r.get("status"))] += 1
    return {k: dict(v) for k, v in counts.items()}


def broken_nodes(results: list[dict[str, Any]]) -> list[str]:
    """Seeds, snapshots and models that did not succeed (errors and skips)."""
    return [
        r["unique_id"]
        for r in results
        if r.get("unique_id", "").split(".")[0] in EXECUTABLE and r.get("status") != "success"
    ]


def failing_tests(results: list[dict[str, Any]]) -> list[str]:
    """Names of the tests that failed or errored (warnings are not failures)."""
    return [
        r["unique_id"].split(".")[2]
        for r in results
        if r.get("unique_id", "").startswith(("test.", "unit_test."))
        and r.get("status") in ("fail", "error")
    ]


def read_elapsed(path: Path) -> float | None:
    """dbt's own clock for an invocation (run_results.json ``elapsed_time``)."""
    if not path.exists():
        return None
    value = json.loads(path.read_text()).get("elapsed_time")
    return float(value) if value is not None else None


def composition(
    results: list[dict[str, Any]],
    manifest: dict[str, Any],
    wall_seconds: float,
    elapsed: float | None,
) -> dict[str, float]:
    """Where a dbt invocation's time went.

    Node figures are dbt's execution_time summed per kind (models split by materialization),
    in thread-seconds: with N threads they add up to about N times the elapsed time. ``outside
    the node graph`` is the process wall time minus dbt's elapsed time (interpreter start,
    parse, adapter and relation cache).
    """
    nodes = manifest.get("nodes", {})
    unit_tests = manifest.get("unit_tests", {})
    seconds: Counter[str] = Counter()
    for r in results:
        uid = str(r.get("unique_id", ""))
        kind = uid.split(".")[0]
        if kind == "model":
            materialized = (nodes.get(uid, {}).get("config") or {}).get("materialized", "?")
            label = f"models ({materialized})"
        elif kind == "test":
            label = "data tests"
        elif kind == "unit_test" or uid in unit_tests:
            label = "unit tests"
        else:
            label = f"{kind}s"
        seconds[label] += float(r.get("execution_time") or 0.0)
    out = {k: round(v, 2) for k, v in sorted(seconds.items(), key=lambda kv: -kv[1])}
    if elapsed is not None:
        out["elapsed (dbt's clock)"] = round(elapsed, 2)
        out["outside the node graph"] = round(max(wall_seconds - elapsed, 0.0), 2)
    return out
