"""The scorecard: every shared KPI of last week against the week before and its target."""

from __future__ import annotations

import pandas as pd

from orchestration.report.formatting import as_float, change, fmt, label, unit_of
from orchestration.report.marts import MartReader
from orchestration.report.model import Cell, Chart, Section, Table
from orchestration.report.periods import ReportPeriod
from orchestration.report.sections.common import (
    SCORECARD,
    SCORECARD_COLUMNS,
    report_section,
    scorecard_last_week,
    trend_weeks,
)

TABLE = SCORECARD
READS = (TABLE,)  # the marts the section reads


def _is_true(value: object) -> bool | None:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    return bool(value)


@report_section(
    "scorecard",
    "Scorecard: last week against the week before and the targets",
    "The shared numbers of the joint sales and marketing meeting, one definition each "
    "(docs/kpis.md).",
    READS,
    requires={TABLE: SCORECARD_COLUMNS},
)
def scorecard_section(section: Section, reader: MartReader, period: ReportPeriod) -> Section:
    every_week, df = scorecard_last_week(reader, period)
    if df.empty:
        return section.not_available(
            f"marts.{TABLE} has no row for the week of {period.last_week_start:%d %b %Y}"
        )
    if "metric_order" in df.columns:
        df = df.sort_values("metric_order")
    table = Table(
        f"marts.{TABLE}, week of {period.last_week_start:%d %b %Y}",
        [
            "KPI",
            period.last_week_label,
            period.week_before_label,
            "Change",
            "Target",
            "Against target",
        ],
    )
    on, off = 0, 0
    for row in df.to_dict("records"):
        name = str(row["metric_name"])
        unit = unit_of(name)
        current = row["metric_value"]
        previous = row.get("previous_value")
        higher_better = _is_true(row.get("is_higher_better"))
        css = ""
        if (
            (c := as_float(current)) is not None
            and (p := as_float(previous)) is not None
            and c != p
        ):
            better = c > p if higher_better is not False else c < p
            css = "good" if better else "bad"
        on_target = _is_true(row.get("is_on_target"))
        status = {True: ("on target", "good"), False: ("off target", "bad")}.get(
            on_target, ("–", "")
        )
        on += on_target is True
        off += on_target is False
        table.rows.append(
            [
                Cell(str(row.get("metric_label") or label(name))),
                Cell(fmt(current, unit)),
                Cell(fmt(previous, unit), "muted"),
                Cell(change(current, previous), css),
                Cell(fmt(row.get("target_value"), unit)),
                Cell(*status),
            ]
        )
    section.tables.append(table)
    section.notes.append(f"{on} KPIs on target, {off} off target last week.")
    if "is_partial_week" in df.columns and df["is_partial_week"].fillna(False).astype(bool).any():
        section.notes.append("Last week is only partly covered by the data (is_partial_week).")
    section.charts.append(_trends(every_week, df, period))
    return section


def _trends(every_week: pd.DataFrame, last_week: pd.DataFrame, period: ReportPeriod) -> Chart:
    """Each KPI's weekly value and target over the trend window, as stored in the mart."""
    weeks = trend_weeks(period)
    window = every_week[every_week["week"].isin(weeks)]
    panels = []
    for row in last_week.to_dict("records"):
        name = str(row["metric_name"])
        rows = window[window["metric_name"] == name].set_index("week")
        panels.append(
            {
                "name": name,
                "label": str(row.get("metric_label") or label(name)),
                "unit": unit_of(name),
                "values": [_value(rows, week, "metric_value") for week in weeks],
                "targets": [_value(rows, week, "target_value") for week in weeks],
            }
        )
    return Chart(
        "trends",
        f"Scorecard KPIs, last {len(weeks)} weeks, against their targets (dashed)",
        {"weeks": [w.date() for w in weeks], "panels": panels},
    )


def _value(rows: pd.DataFrame, week: pd.Timestamp, column: str) -> float | None:
    if week not in rows.index or column not in rows.columns:
        return None
    return as_float(rows.at[week, column])
