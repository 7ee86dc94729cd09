"""Speed to lead and SLA: how fast sales works marketing's MQLs, per MQL week."""

from __future__ import annotations

import pandas as pd

from orchestration.report.marts import MartReader
from orchestration.report.model import Chart, Section, Table
from orchestration.report.periods import ReportPeriod
from orchestration.report.sections.common import (
    compare_row,
    ratio,
    require,
    trend_weeks,
    ts,
    week_start,
)

TABLE = "fct_lead_follow_up"
COLUMNS = ("person_id", "mql_at", "speed_to_lead_hours", "sla_status")


def _weekly(reader: MartReader, period: ReportPeriod) -> pd.DataFrame:
    """Per MQL week: MQLs, SLA outcomes, median speed to lead and acceptance (SAL / MQL)."""
    accepted = "is_accepted" if "is_accepted" in reader.columns(TABLE) else "null"
    df = reader.frame(
        f"select mql_at, speed_to_lead_hours, sla_status, {accepted} as is_accepted "
        f"from marts.{TABLE} "
        f"where mql_at >= {ts(period.trend_start)} and mql_at < {ts(period.last_week_end)}"
    )
    df["week"] = week_start(df["mql_at"])
    df["hours"] = pd.to_numeric(df["speed_to_lead_hours"], errors="coerce")
    status = df["sla_status"].astype(str)
    df["within"] = (status == "within").astype(int)
    df["breached"] = (status == "breached").astype(int)
    df["pending"] = (status == "pending").astype(int)
    df["accepted"] = df["is_accepted"].fillna(False).astype(bool).astype(int)
    grouped = df.groupby("week").agg(
        mqls=("within", "size"),
        within=("within", "sum"),
        breached=("breached", "sum"),
        pending=("pending", "sum"),
        accepted=("accepted", "sum"),
        median_hours=("hours", "median"),
    )
    weeks = grouped.reindex(pd.Index(trend_weeks(period), name="week"))
    weeks[["mqls", "within", "breached", "pending", "accepted"]] = weeks[
        ["mqls", "within", "breached", "pending", "accepted"]
    ].fillna(0)
    weeks["compliance"] = [
        ratio(w, w + b) for w, b in zip(weeks["within"], weeks["breached"], strict=True)
    ]
    weeks["acceptance"] = [
        ratio(a, m) for a, m in zip(weeks["accepted"], weeks["mqls"], strict=True)
    ]
    return weeks


def sla_section(reader: MartReader, period: ReportPeriod) -> Section:
    section = Section(
        "sla",
        "Speed to lead and SLA",
        (TABLE,),
        intro="Speed to lead = first sales activity after the MQL minus the MQL time; SLA "
        "compliance = worked within the SLA / (within + breached); MQLs whose SLA clock still "
        "runs are pending and left out (docs/kpis.md).",
    )
    if not require(section, reader, TABLE, COLUMNS):
        return section
    weeks = _weekly(reader, period)
    last, before = weeks.iloc[-1], weeks.iloc[-2]
    table = Table(
        f"marts.{TABLE}, by week of the MQL",
        ["Metric", period.last_week_label, period.week_before_label, "Change"],
    )
    for column, name, unit, metric in (
        ("mqls", "MQLs", "count", "mqls"),
        ("median_hours", "Median speed to lead", "hours", "speed_to_lead_hours"),
        ("compliance", "SLA compliance", "percent", "sla_compliance_rate"),
        ("breached", "SLA breaches", "count", "breach"),
        ("pending", "Pending (clock still running)", "count", "pending"),
        ("acceptance", "MQL acceptance (SAL / MQL)", "percent", "mql_acceptance_rate"),
    ):
        table.rows.append(compare_row(name, last[column], before[column], unit, metric))
    section.tables.append(table)
    section.charts.append(
        Chart(
            "sla",
            f"Speed to lead and SLA compliance, last {len(weeks)} MQL weeks",
            {
                "weeks": [w.date() for w in weeks.index],
                "median_hours": [None if pd.isna(v) else float(v) for v in weeks["median_hours"]],
                "compliance": list(weeks["compliance"]),
            },
        )
    )
    return section
