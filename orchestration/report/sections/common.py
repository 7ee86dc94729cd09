"""Helpers shared by the sections: portable SQL literals, week buckets, comparison rows."""

from __future__ import annotations

from datetime import date

import pandas as pd

from orchestration.report.formatting import change, fmt, trend
from orchestration.report.marts import MartReader
from orchestration.report.model import Cell, Section, Table
from orchestration.report.periods import ReportPeriod


def ts(day: date) -> str:
    """A portable timestamp literal (DuckDB and PostgreSQL)."""
    return f"timestamp '{day:%Y-%m-%d} 00:00:00'"


def utc_naive(values: pd.Series) -> pd.Series:
    """Timestamps as naive UTC (the warehouse session runs in UTC)."""
    return pd.to_datetime(values, errors="coerce", utc=True).dt.tz_localize(None)


def week_start(values: pd.Series) -> pd.Series:
    """The Monday (00:00) of each timestamp's ISO week."""
    stamps = utc_naive(values)
    return (stamps - pd.to_timedelta(stamps.dt.day_of_week, unit="D")).dt.normalize()


def trend_weeks(period: ReportPeriod) -> list[pd.Timestamp]:
    """The Mondays of the trend window, oldest first, ending with last week."""
    return list(pd.date_range(period.trend_start, period.last_week_start, freq="7D"))


def require(section: Section, reader: MartReader, table: str, columns: tuple[str, ...]) -> bool:
    """Whether ``<reader's schema>.<table>`` exists with ``columns``; if not, say so in the
    section."""
    name = f"{reader.schema}.{table}"
    if not reader.has(table):
        section.missing.append(name)
        section.not_available(f"table {name} does not exist (yet)")
        return False
    lacking = [c for c in columns if c not in reader.columns(table)]
    if lacking:
        section.not_available(f"{name} lacks column(s) {', '.join(lacking)}")
        return False
    return True


def month_of_last_week(period: ReportPeriod) -> pd.Timestamp:
    """The first day of the month that holds last week's Monday (the monthly marts' row)."""
    return pd.Timestamp(period.last_week_start).to_period("M").start_time


def by_month(reader: MartReader, table: str, column: str = "month_start") -> pd.DataFrame:
    """A monthly mart with a ``month`` column (naive UTC timestamps) from ``column``."""
    df = reader.table(table)
    df["month"] = utc_naive(df[column])
    return df


def optional(section: Section, reader: MartReader, table: str, what: str) -> bool:
    """Whether an optional mart exists; if not, a note names it."""
    if reader.has(table):
        return True
    section.missing.append(f"marts.{table}")
    section.notes.append(f"{what} not available: table marts.{table} does not exist (yet).")
    return False


def compare_row(name: str, current: object, previous: object, unit: str, metric: str) -> list[Cell]:
    """Metric, current, previous, change (coloured by whether the change is good news)."""
    return [
        Cell(name),
        Cell(fmt(current, unit)),
        Cell(fmt(previous, unit), "muted"),
        Cell(change(current, previous), trend(current, previous, metric)),
    ]


def last_two_weeks_table(
    title: str,
    period: ReportPeriod,
    weeks: pd.DataFrame,
    rows: tuple[tuple[str, str, str, str], ...],
) -> Table:
    """Last week against the week before, one row per (column, name, unit, metric) of
    ``weeks`` (one row per week, oldest first); ``metric`` names the direction of good news."""
    last, before = weeks.iloc[-1], weeks.iloc[-2]
    table = Table(title, ["Metric", period.last_week_label, period.week_before_label, "Change"])
    for column, name, unit, metric in rows:
        table.rows.append(compare_row(name, last[column], before[column], unit, metric))
    return table


SCORECARD = "kpi_weekly_scorecard"


def scorecard_weeks(
    reader: MartReader, period: ReportPeriod, metrics: tuple[str, ...]
) -> pd.DataFrame:
    """Stored weekly values of scorecard KPIs: one row per trend week, one column per metric.

    The report computes no KPI: a weekly number is read as kpi_weekly_scorecard stores it.
    """
    names = ", ".join(f"'{m}'" for m in metrics)
    df = reader.frame(
        f"select week_start, metric_name, metric_value from marts.{SCORECARD} "
        f"where metric_name in ({names}) "
        f"and week_start >= {ts(period.trend_start)} and week_start < {ts(period.last_week_end)}"
    )
    df["week"] = utc_naive(df["week_start"])
    df["metric_value"] = pd.to_numeric(df["metric_value"], errors="coerce")
    wide = df.pivot(index="week", columns="metric_name", values="metric_value")
    return wide.reindex(index=pd.Index(trend_weeks(period), name="week"), columns=list(metrics))


def listed(values: pd.Series) -> list[float | None]:
    """Chart values: None where the mart has no value (an unknown amount is not 0)."""
    return [None if pd.isna(v) else float(v) for v in values]


def weekly_counts(
    reader: MartReader, period: ReportPeriod, table: str, date_column: str, where: str = "true"
) -> pd.Series:
    """How many rows of ``marts.<table>`` matching ``where`` fall in each trend week (by
    ``date_column``), 0 for a week without any."""
    df = reader.frame(
        f"select {date_column} as at from marts.{table} where {where} "
        f"and {date_column} >= {ts(period.trend_start)} "
        f"and {date_column} < {ts(period.last_week_end)}"
    )
    counts = week_start(df["at"]).value_counts()
    return counts.reindex(pd.Index(trend_weeks(period), name="week"), fill_value=0)
