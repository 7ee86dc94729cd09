"""The daily schedule: one daily_incremental run per day, for the day that just ended.

| variable              | default     | meaning                                    |
|-----------------------|-------------|--------------------------------------------|
| REVOPS_SCHEDULE_CRON  | 0 6 * * *   | when the daily run starts (cron, UTC)      |

The run's window is the previous UTC day (tag ``revops/window``: the core dbt step receives
that day as min_date/max_date); its run_key is the day, so a tick evaluated twice starts one
run.
Its as_of is the tick's scheduled time (tag ``revops/as_of``): a rerun of the same tick
computes the same SLA clocks and weeks.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta

from dagster import (
    DagsterInvalidDefinitionError,
    DefaultScheduleStatus,
    JobDefinition,
    RunRequest,
    ScheduleDefinition,
    ScheduleEvaluationContext,
    schedule,
)
from dagster._core.definitions.unresolved_asset_job_definition import (
    UnresolvedAssetJobDefinition,
)

from orchestration.assets.dbt import window_tag
from orchestration.jobs import daily_incremental_job
from orchestration.run_settings import as_of_tag, resolve_as_of

DEFAULT_CRON = "0 6 * * *"
SCHEDULE_NAME = "daily_incremental_schedule"


def schedule_cron(env: Mapping[str, str] | None = None) -> str:
    """The cron string from REVOPS_SCHEDULE_CRON, default 06:00 UTC daily."""
    env = os.environ if env is None else env
    return (env.get("REVOPS_SCHEDULE_CRON") or DEFAULT_CRON).strip()


def day_for(scheduled_at: datetime) -> date:
    """The day a tick at ``scheduled_at`` processes: the UTC day before it."""
    return (scheduled_at.astimezone(UTC) - timedelta(days=1)).date()


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

    def _daily(context: ScheduleEvaluationContext) -> RunRequest:
        scheduled_at = context.scheduled_execution_time
        day = day_for(scheduled_at)
        return RunRequest(
            run_key=f"daily-{day.isoformat()}",
            tags={
                "revops/trigger": "schedule",
                "revops/day": day.isoformat(),
                **window_tag(day, day + timedelta(days=1)),
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
