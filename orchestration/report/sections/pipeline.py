"""Pipeline and bookings: weekly trend from the opportunities, monthly sales KPIs."""

from __future__ import annotations

import pandas as pd

from orchestration.report.marts import MartReader
from orchestration.report.model import Chart, Section, Table
from orchestration.report.periods import ReportPeriod
from orchestration.report.sections.common import (
    SCORECARD,
    SCORECARD_COLUMNS,
    by_month,
    compare_row,
    month_of_last_week,
    optional,
    report_section,
    scorecard_weeks,
    weekly_counts,
    weekly_trend,
)

OPPORTUNITIES = "fct_opportunities"
SALES = "kpi_sales_monthly"
READS = (SCORECARD, OPPORTUNITIES, SALES)  # the marts the section reads
COLUMNS = ("opportunity_id", "created_at", "close_date", "is_won")
METRICS = ("pipeline_created_usd", "won_revenue_usd")
SALES_ROWS = (
    ("pipeline_created_usd", "Pipeline created", "money"),
    ("marketing_sourced_pipeline_usd", "Marketing-sourced pipeline", "money"),
    ("marketing_influenced_pipeline_usd", "Marketing-influenced pipeline", "money"),
    ("win_rate_by_count", "Win rate (count)", "percent"),
    ("win_rate_by_value", "Win rate (value)", "percent"),
    ("average_deal_size_usd", "Average deal size", "money"),
    ("sales_cycle_days", "Sales cycle", "days"),
    ("open_opportunities", "Open opportunities (month end)", "count"),
    ("open_pipeline_usd", "Open pipeline (month end)", "money"),
    ("pipeline_velocity_usd_per_day", "Pipeline velocity (USD per day)", "money"),
)


def _weekly(reader: MartReader, period: ReportPeriod) -> pd.DataFrame:
    """The scorecard's pipeline created and won revenue per week, and how many opportunities
    each counts (opportunities created, and won by close date, in marts.fct_opportunities)."""
    weeks = scorecard_weeks(reader, period, METRICS)
    weeks["opportunities"] = weekly_counts(reader, period, OPPORTUNITIES, "created_at")
    weeks["deals_won"] = weekly_counts(reader, period, OPPORTUNITIES, "close_date", "is_won")
    return weeks


@report_section(
    "pipeline",
    "Pipeline and bookings trend",
    "Pipeline created (amount of opportunities created) and bookings (amount of opportunities "
    "won, by close date) per week, in USD, as the scorecard defines them. Marketing-sourced "
    "pipeline: opportunities whose first touch is a marketing channel; marketing-influenced: "
    "opportunities whose people touched a marketing channel in the attribution window before "
    "creation.",
    READS,
    requires={OPPORTUNITIES: COLUMNS, SCORECARD: SCORECARD_COLUMNS},
)
def pipeline_section(section: Section, reader: MartReader, period: ReportPeriod) -> Section:
    weeks = _weekly(reader, period)
    weekly_trend(
        section,
        period,
        weeks,
        caption=f"marts.{SCORECARD} (amounts) and marts.{OPPORTUNITIES} (counts)",
        rows=(
            ("pipeline_created_usd", "Pipeline created", "money", "pipeline_created_usd"),
            ("opportunities", "Opportunities created", "count", "opportunities"),
            ("won_revenue_usd", "Bookings (won)", "money", "won_revenue_usd"),
            ("deals_won", "Deals won", "count", "deals_won"),
        ),
        chart=Chart(
            "pipeline",
            f"Pipeline created and bookings, last {len(weeks)} weeks",
            {"pipeline": "pipeline_created_usd", "bookings": "won_revenue_usd"},
        ),
    )
    if optional(section, reader, SALES, "Win rate, deal size and sales cycle"):
        section.tables.append(_sales_table(reader, period))
    return section


def _sales_table(reader: MartReader, period: ReportPeriod) -> Table:
    """The company-wide sales KPIs of last week's month and the month before, as stored."""
    df = by_month(reader, SALES)
    missing = [c for c in ("month_start", *(key for key, _, _ in SALES_ROWS)) if c not in df]
    if missing:
        return Table(f"marts.{SALES} lacks column(s) {', '.join(missing)}", ["Metric"])
    month = month_of_last_week(period)
    previous = (month - pd.DateOffset(months=1)).to_period("M").start_time
    stored = df.set_index("month")
    table = Table(
        f"marts.{SALES}, all owners and segments",
        ["Metric", f"{month:%B %Y}", f"{previous:%B %Y}", "Change"],
    )
    for key, name, unit in SALES_ROWS:
        current = stored[key].get(month)
        before = stored[key].get(previous)
        table.rows.append(compare_row(name, current, before, unit, key))
    return table
