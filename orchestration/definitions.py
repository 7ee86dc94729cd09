"""The one Dagster code location of revops: `defs`, loaded by the UI and by the CLI.

Only wiring happens here: each layer lives in its own module.
"""

from __future__ import annotations

from dagster import Definitions

from orchestration.assets.dbt import build_dbt_assets, dbt_resource
from orchestration.assets.ingest import build_ingest_assets
from orchestration.jobs import JOBS
from orchestration.resources import RevopsResource


def build_definitions() -> Definitions:
    """Assemble assets, checks, jobs, schedules, sensors and resources."""
    return Definitions(
        assets=[*build_ingest_assets(), *build_dbt_assets()],
        jobs=JOBS,
        resources={"revops": RevopsResource(), "dbt": dbt_resource()},
    )


defs = build_definitions()
