"""The code location as the operations tests build it: definitions.py's pieces, isolated paths.

definitions.py is wired by the project lead; these tests build their own Definitions from the
same builders so they run whatever state the other layers are in: the real ingestion assets and
quality checks when they import, the stand-in ingestion otherwise.
"""

from __future__ import annotations

import importlib
from typing import Any

from dagster import Definitions

from orchestration.assets.dbt import build_dbt_assets, dbt_resource
from orchestration.jobs import JOBS
from orchestration.resources import RevopsResource
from orchestration.schedules import build_schedules
from orchestration.sensors import build_sensors
from orchestration.settings import Settings


def _built(module: str, builder: str) -> list[Any] | None:
    """What ``<module>.<builder>()`` builds, or None while the module (or the builder) is not
    importable."""
    try:
        return list(getattr(importlib.import_module(module), builder)())
    except (ImportError, AttributeError):
        return None


def real_ingest_assets() -> list[Any] | None:
    """The real ingestion assets, or None while orchestration.assets.ingest is not importable."""
    return _built("orchestration.assets.ingest", "build_ingest_assets")


def quality_checks() -> list[Any]:
    """The GX quality checks when orchestration.assets.quality imports, else none."""
    return _built("orchestration.assets.quality", "build_quality_checks") or []


def report_assets() -> list[Any]:
    return _built("orchestration.assets.report", "build_report_assets") or []


def serving_assets() -> list[Any]:
    return _built("orchestration.assets.serving", "build_serving_assets") or []


def resource_for(settings: Settings) -> RevopsResource:
    return RevopsResource(
        target=settings.target,
        duckdb_path=str(settings.duckdb_path),
        landing_dir=str(settings.landing_dir),
        reports_dir=str(settings.reports_dir),
        serving_path=str(settings.serving_path or ""),
        as_of=settings.as_of,
        pages_url=settings.pages_url,
    )


def build_ops_definitions(
    settings: Settings | None = None, ingest: str = "auto", checks: bool = True
) -> Definitions:
    """Ingestion ("real", "stand_in" or "auto"), dbt, checks, report, jobs, schedule, sensor."""
    from tests.ops.stand_in_ingest import build_stand_in_ingest_assets

    settings = settings or Settings.from_env()
    ingest_assets = real_ingest_assets() if ingest in ("auto", "real") else None
    if ingest_assets is None:
        if ingest == "real":
            raise ImportError("orchestration.assets.ingest is not importable")
        ingest_assets = build_stand_in_ingest_assets()
    return Definitions(
        assets=[*ingest_assets, *build_dbt_assets(), *report_assets(), *serving_assets()],
        asset_checks=quality_checks() if checks else [],
        jobs=JOBS,
        schedules=build_schedules(),
        sensors=build_sensors(),
        resources={"revops": resource_for(settings), "dbt": dbt_resource()},
    )
