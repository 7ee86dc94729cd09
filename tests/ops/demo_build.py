"""The demo company built once per test session through the whole asset graph.

Generates demo data (simulator, scale 0.03), then runs the ``full_pipeline`` job in process as
``revops run`` does (a catch-up run) with the real ingestion assets, dbt, the quality checks and
the report, on a persistent Dagster instance with the project's dagster.yaml. The operations
tests assert on it, the report tests read its marts and the browser tests open its instance in
the Dagster UI.
"""

from __future__ import annotations

import importlib
import json
import socket
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from orchestration.settings import PROJECT_DIR, Settings

AS_OF = "2026-01-01T00:00:00+00:00"
SCALE = 0.03
SEED = 1


@dataclass(frozen=True)
class DemoBuild:
    settings: Settings
    dagster_home: Path
    run_id: str
    success: bool
    failures: list[str]


def missing_layers() -> str | None:
    """Why the demo graph cannot be built yet (a layer not importable), or None."""
    for module, attr in (
        ("simulator", "generate"),
        ("orchestration.assets.ingest", "build_ingest_assets"),
        ("orchestration.assets.quality", "build_quality_checks"),
    ):
        try:
            getattr(importlib.import_module(module), attr)
        except (ImportError, AttributeError) as exc:
            return f"{module}.{attr} is not importable yet: {exc}"
    return None


def free_pages_url() -> str:
    """A localhost URL on a free port for the check pages the demo's checks link to (the
    browser tests serve them there; port 3001 may be taken on a shared machine)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}"


def demo_settings(root: Path, pages_url: str) -> Settings:
    return Settings.from_env().with_(
        duckdb_path=root / "warehouse.duckdb",
        landing_dir=root / "landing",
        reports_dir=root / "reports",
        as_of=AS_OF,
        pages_url=pages_url,
    )


def build_demo(root: Path) -> DemoBuild:
    """Build (or reuse, within one session) the demo warehouse under ``root``."""
    reason = missing_layers()
    if reason:
        pytest.skip(f"whole-graph demo run skipped: {reason}")
    home = root / "dagster_home"
    done = root / "build.json"
    if done.exists():
        data = json.loads(done.read_text())
        settings = demo_settings(root, data["pages_url"])
        return DemoBuild(settings, home, data["run_id"], data["success"], data["failures"])
    settings = demo_settings(root, free_pages_url())

    from dagster import DagsterInstance

    from orchestration.dbt_project import prepare_manifest
    from orchestration.run_settings import as_of_tag, resolve_as_of
    from simulator import generate
    from tests.ops.defs_factory import build_ops_definitions
    from tests.parse_once import warehouse_link

    root.mkdir(parents=True, exist_ok=True)
    generate(settings.landing_dir, scale=SCALE, seed=SEED)
    as_of = resolve_as_of(settings.as_of)  # as `revops run` does: parsed with the run's vars
    # built through the worker's link (tests/parse_once.py); the tests read the real file
    linked = settings.with_(
        duckdb_path=warehouse_link(settings.duckdb_path), serving_path=settings.serving_file()
    )
    prepare_manifest(linked, as_of=as_of)
    home.mkdir(exist_ok=True)
    config = yaml.safe_load((PROJECT_DIR / "dagster.yaml").read_text())
    (home / "dagster.yaml").write_text(yaml.safe_dump(config))
    job = build_ops_definitions(linked, ingest="real").resolve_job_def("full_pipeline")
    with DagsterInstance.from_config(str(home)) as instance:
        # as `revops run` runs it: no window, the as_of stamped on the run
        result = job.execute_in_process(
            instance=instance, raise_on_error=False, tags=as_of_tag(as_of)
        )
    failures = [
        f"{e.step_key}: {e.event_specific_data.error.message[:2000]}"
        for e in result.all_events
        if e.is_step_failure and e.event_specific_data.error
    ]
    done.write_text(
        json.dumps(
            {
                "run_id": result.run_id,
                "success": result.success,
                "failures": failures,
                "pages_url": settings.pages_url,
            }
        )
    )
    return DemoBuild(settings, home, result.run_id, result.success, failures)


@pytest.fixture(scope="session")
def demo_build(tmp_path_factory: pytest.TempPathFactory) -> DemoBuild:
    """The demo company through the whole graph (skips while a layer is not importable)."""
    return build_demo(tmp_path_factory.getbasetemp() / "revops_demo")
