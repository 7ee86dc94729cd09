"""The scorecard: every shared KPI of last week against the week before and its target."""

from __future__ import annotations

import pandas as pd

from orchestration.report.formatting import as_float, change, fmt, label, unit_of
from orchestration.report.marts import MartReader
from orchestration.report.model import Cell, Section, Table
from orchestration.report.periods import ReportPeriod
from orchestration.report.sections.common import require, utc_naive

TABLE = "kpi_weekly_scorecard"
COLUMNS = ("week_start", "metric_name", "metric_value")


def _is_true(value: object) -> bool | None:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    return bool(value)


def scorecard_section(reader: MartReader, period: ReportPeriod) -> Section:
    section = Section(
        "scorecard",
        "Scorecard: last week against the week before and the targets",
        (TABLE,),
        intro="The shared numbers of the joint sales and marketing meeting, one definition each "
        "(docs/kpis.md).",
    )
    if not require(section, reader, TABLE, COLUMNS):
        return section
    df = reader.table(TABLE)
    df = df[utc_naive(df["week_start"]) == pd.Timestamp(period.last_week_start)]
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
    return section
