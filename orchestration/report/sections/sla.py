"""Speed to lead and SLA: how fast sales works marketing's MQLs, per MQL week."""

from __future__ import annotations

import pandas as pd

from orchestration.report.formatting import fmt
from orchestration.report.marts import MartReader
from orchestration.report.model import Cell, Chart, Section, Table
from orchestration.report.periods import ReportPeriod
from orchestration.report.sections.common import (
    SCORECARD,
    SCORECARD_COLUMNS,
    by_month,
    month_of_last_week,
    optional,
    report_section,
    scorecard_weeks,
    weekly_counts,
    weekly_trend,
)

TABLE = "fct_lead_follow_up"
REJECTIONS = "kpi_lead_rejection_reasons"
READS = (SCORECARD, TABLE, REJECTIONS)  # the marts the section reads
COLUMNS = ("person_id", "mql_at", "sla_status")
METRICS = ("mqls", "median_speed_to_lead_hours", "sla_compliance_rate")


def _weekly(reader: MartReader, period: ReportPeriod) -> pd.DataFrame:
    """Per MQL week: the scorecard's MQLs, median speed to lead and SLA compliance, and how
    many of the week's MQLs breached the SLA or are still pending (fct_lead_follow_up)."""
    weeks = scorecard_weeks(reader, period, METRICS)
    for status in ("breached", "pending"):
        weeks[status] = weekly_counts(reader, period, TABLE, "mql_at", f"sla_status = '{status}'")
    return weeks


@report_section(
    "sla",
    "Speed to lead and SLA",
    "Speed to lead = first sales activity after the MQL minus the MQL time; SLA compliance = "
    "worked within the SLA / (within + breached); MQLs whose SLA clock still runs are pending "
    "and left out (docs/kpis.md).",
    READS,
    requires={TABLE: COLUMNS, SCORECARD: SCORECARD_COLUMNS},
)
def sla_section(section: Section, reader: MartReader, period: ReportPeriod) -> Section:
    weeks = _weekly(reader, period)
    weekly_trend(
        section,
        period,
        weeks,
        caption=f"marts.{SCORECARD} and marts.{TABLE} (SLA outcomes), by week of the MQL",
        rows=(
            ("mqls", "MQLs", "count", "mqls"),
            ("median_speed_to_lead_hours", "Median speed to lead", "hours", "speed_to_lead_hours"),
            ("sla_compliance_rate", "SLA compliance", "percent", "sla_compliance_rate"),
            ("breached", "SLA breaches", "count", "breach"),
            ("pending", "Pending (clock still running)", "count", "pending"),
        ),
        chart=Chart(
            "sla",
            f"Speed to lead and SLA compliance, last {len(weeks)} MQL weeks",
            {"median_hours": "median_speed_to_lead_hours", "compliance": "sla_compliance_rate"},
        ),
    )
    if optional(section, reader, REJECTIONS, "Rejection reasons"):
        section.tables.append(_rejections(reader, period))
    return section


def _rejections(reader: MartReader, period: ReportPeriod) -> Table:
    """Why sales turned MQLs back in the month of last week: rejected MQLs per reason, summed
    over channels as stored."""
    df = by_month(reader, REJECTIONS, "mql_month")
    month = month_of_last_week(period)
    table = Table(
        f"marts.{REJECTIONS}, MQLs of {month:%B %Y} that sales rejected, by reason",
        ["Reason", "Stage", "Rejected MQLs"],
    )
    if df.empty:
        return table
    rows = (
        df[df["month"] == month]
        .groupby(["rejection_reason", "rejection_stage"], dropna=False)["rejected_mqls"]
        .sum()
        .sort_values(ascending=False)
    )
    for (reason, stage), count in rows.items():
        reason_text = "(no reason given)" if pd.isna(reason) else str(reason)
        stage_text = "" if pd.isna(stage) else str(stage)
        table.rows.append([Cell(reason_text), Cell(stage_text), Cell(fmt(count, "count"))])
    return table
