"""The one Dagster code location of revops: `defs`, loaded by the UI and by the CLI.

Only wiring happens here: each layer lives in its own module.
"""

from __future__ import annotations

from dagster import Definitions

from orchestration.alerts import build_alert_sensors
from orchestration.assets.dbt import build_dbt_assets, dbt_resource
from orchestration.assets.ingest import build_ingest_assets
from orchestration.assets.quality import build_quality_checks
from orchestration.assets.report import build_report_assets
from orchestration.assets.serving import build_serving_assets
from orchestration.jobs import JOBS
from orchestration.resources import RevopsResource
from orchestration.schedules import build_schedules
from orchestration.sensors import build_sensors


def build_definitions() -> Definitions:
    """Assemble assets, checks, jobs, schedules, sensors and resources."""
    return Definitions(
        assets=[
            *build_ingest_assets(),
            *build_dbt_assets(),
            *build_report_assets(),
            *build_serving_assets(),
        ],
        asset_checks=build_quality_checks(),
        jobs=JOBS,
        schedules=build_schedules(),
        sensors=[*build_sensors(), *build_alert_sensors()],
        resources={"revops": RevopsResource(), "dbt": dbt_resource()},
    )


defs = build_definitions()
