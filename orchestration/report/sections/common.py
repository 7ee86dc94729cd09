"""Helpers shared by the sections: portable SQL literals, week buckets, comparison rows."""

from __future__ import annotations

from datetime import date

import pandas as pd

from orchestration.report.formatting import change, fmt, trend
from orchestration.report.marts import MartReader
from orchestration.report.model import Cell, Section
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
    return (stamps - pd.to_timedelta(stamps.dt.weekday, unit="D")).dt.normalize()


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


def ratio(numerator: float, denominator: float) -> float | None:
    """numerator / denominator, None when the denominator is 0 (like the marts' safe_divide)."""
    return numerator / denominator if denominator else None
