"""The weekly alignment report as a Dagster asset: ["reports", "weekly_report"].

It depends on the marts it reads that exist in the dbt project (KPI marts that are not there
yet are simply not upstream; the report says "not available" for them), runs after the quality
checks that block those marts, and reads the warehouse in the ``duckdb_writer`` pool because a
DuckDB reader in one process conflicts with a writer in another.

(No ``from __future__ import annotations``: Dagster inspects the real type of ``context``.)
"""

from typing import Any

from dagster import (
    AssetExecutionContext,
    AssetKey,
    AssetsDefinition,
    MaterializeResult,
    MetadataValue,
    RetryPolicy,
    asset,
)

from orchestration.assets.dbt import dbt_marts, mart_freshness
from orchestration.pools import WRITER_POOL
from orchestration.report.build import generate_report
from orchestration.report.sections import dbt_reads
from orchestration.resources import RevopsResource
from orchestration.run_settings import format_as_of

REPORT_KEY = AssetKey(["reports", "weekly_report"])


def report_deps() -> list[AssetKey]:
    """The dbt marts the report reads (quality.dq_check_results is written by the checks)."""
    marts = dbt_marts()
    return [AssetKey(["marts", t]) for t in dbt_reads() if marts is None or t in marts]


def build_report_assets() -> list[AssetsDefinition]:
    """The weekly report asset."""

    @asset(
        key=REPORT_KEY,
        group_name="reports",
        deps=report_deps(),
        pool=WRITER_POOL,
        retry_policy=RetryPolicy(max_retries=2, delay=5),
        freshness_policy=mart_freshness(),
        kinds={"html", "python"},
        description="Weekly sales and marketing alignment report (HTML and Markdown with "
        "charts) from the marts: funnel, channel CAC and ROAS, pipeline and bookings, speed to "
        "lead and SLA, data quality; last week against the week before and the targets.",
    )
    def weekly_report(context: AssetExecutionContext, revops: RevopsResource) -> MaterializeResult:
        result = generate_report(revops.settings(), revops.run_as_of(context))
        for section in result.sections:
            if not section.available:
                context.log.warning(f"report section {section.key}: {section.notes[0]}")
        metadata: dict[str, Any] = {
            "html": MetadataValue.path(str(result.html)),
            "markdown": MetadataValue.path(str(result.markdown)),
            "charts": len(result.charts),
            "as_of": format_as_of(result.period.as_of),
            "last_week": result.period.last_week_label,
            "sections_available": len(result.sections) - len(result.unavailable),
            "sections_not_available": ", ".join(result.unavailable) or "none",
            "missing_tables": ", ".join(result.missing_tables) or "none",
        }
        return MaterializeResult(metadata=metadata)

    return [weekly_report]
