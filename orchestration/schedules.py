"""The daily schedule: one daily_incremental run per day, for the day that just ended.

| variable              | default     | meaning                                    |
|-----------------------|-------------|--------------------------------------------|
| REVOPS_SCHEDULE_CRON  | 0 6 * * *   | when the daily run starts (cron, UTC)      |

The run is for the partition of the previous UTC day (the core dbt step receives that
day as min_date/max_date); its run_key is the day, so a tick evaluated twice starts one run.
Its as_of is the tick's scheduled time (tag ``revops/as_of``): a rerun of the same tick
computes the same SLA clocks and weeks.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import datetime, timedelta

from dagster import (
    DagsterInvalidDefinitionError,
    DefaultScheduleStatus,
    JobDefinition,
    RunRequest,
    ScheduleDefinition,
    ScheduleEvaluationContext,
    SkipReason,
    schedule,
)
from dagster._core.definitions.unresolved_asset_job_definition import (
    UnresolvedAssetJobDefinition,
)

from orchestration.assets.dbt import daily_partitions
from orchestration.jobs import daily_incremental_job
from orchestration.run_settings import as_of_tag, resolve_as_of

DEFAULT_CRON = "0 6 * * *"
SCHEDULE_NAME = "daily_incremental_schedule"


def schedule_cron(env: Mapping[str, str] | None = None) -> str:
    """The cron string from REVOPS_SCHEDULE_CRON, default 06:00 UTC daily."""
    env = os.environ if env is None else env
    return (env.get("REVOPS_SCHEDULE_CRON") or DEFAULT_CRON).strip()


def partition_for(scheduled_at: datetime) -> str | None:
    """The daily partition a tick at ``scheduled_at`` processes: the UTC day before it."""
    day = (scheduled_at - timedelta(days=1)).date().isoformat()
    partitions = daily_partitions()
    if day < partitions.start.date().isoformat():
        return None
    return day


def build_daily_schedule(
    job: JobDefinition | UnresolvedAssetJobDefinition = daily_incremental_job,
    cron: str | None = None,
) -> ScheduleDefinition:
    """The daily incremental schedule (stopped by default: an operator turns it on)."""
    cron = cron or schedule_cron()
    decorator = schedule(
        name=SCHEDULE_NAME,
        job=job,
        cron_schedule=cron,
        execution_timezone="UTC",
        default_status=DefaultScheduleStatus.STOPPED,
        description="Daily incremental run for the previous UTC day "
        "(cron from REVOPS_SCHEDULE_CRON, default 06:00 UTC).",
    )

    def _daily(context: ScheduleEvaluationContext) -> RunRequest | SkipReason:
        scheduled_at = context.scheduled_execution_time
        key = partition_for(scheduled_at)
        if key is None:
            return SkipReason(f"{scheduled_at:%Y-%m-%d} is before the first partition")
        return RunRequest(
            run_key=f"daily-{key}",
            partition_key=key,
            tags={
                "revops/trigger": "schedule",
                "revops/day": key,
                **as_of_tag(resolve_as_of(scheduled_at)),
            },
        )

    try:
        return decorator(_daily)
    except (DagsterInvalidDefinitionError, ValueError) as exc:
        raise ValueError(f"REVOPS_SCHEDULE_CRON={cron!r} is not a valid cron schedule") from exc


def build_schedules() -> list[ScheduleDefinition]:
    """Every schedule of the code location."""
    return [build_daily_schedule()]
