"""Reading a KPI mart for a week: the rows of last week (or the latest period) and the one before.

KPI marts differ in grain (weekly scorecard, monthly cohorts, one row per channel); these helpers
find the period column, pick the current and previous period relative to the report's weeks and
build "current vs previous" tables, without knowing a mart's exact columns in advance.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from orchestration.report.formatting import change, fmt, label, trend, unit_of
from orchestration.report.marts import numeric_columns, period_column, pick
from orchestration.report.model import Cell, Table
from orchestration.report.periods import ReportPeriod


@dataclass
class PeriodRows:
    """Rows of the current and the previous period of a mart, with their labels."""

    current: pd.DataFrame
    previous: pd.DataFrame
    current_label: str
    previous_label: str
    period_col: str | None


def _period_label(value: pd.Timestamp, weekly: bool) -> str:
    if weekly:
        return f"week of {value:%d %b %Y}"
    if value.day == 1:
        return f"{value:%b %Y}"
    return f"{value:%Y-%m-%d}"


def period_values(df: pd.DataFrame, col: str) -> pd.Series:
    """The period column as UTC-naive timestamps (NaT where it does not parse)."""
    values = pd.to_datetime(df[col], errors="coerce", utc=True)
    return values.dt.tz_localize(None)


def two_periods(df: pd.DataFrame, period: ReportPeriod) -> PeriodRows:
    """Last week and the week before if the mart is weekly, else its latest two periods."""
    col = period_column(list(df.columns))
    empty = df.iloc[0:0]
    if col is None:
        return PeriodRows(df, empty, "all periods", "", None)
    values = period_values(df, col)
    if values.isna().all():
        return PeriodRows(df, empty, "all periods", "", None)
    end = pd.Timestamp(period.last_week_end)
    known = sorted(v for v in values.dropna().unique() if v < end)
    if not known:
        return PeriodRows(empty, empty, "no period before the report week", "", col)
    last_week = pd.Timestamp(period.last_week_start)
    if last_week in known:
        before = pd.Timestamp(period.week_before_start)
        return PeriodRows(
            df[values == last_week],
            df[values == before],
            _period_label(last_week, True),
            _period_label(before, True),
            col,
        )
    current = known[-1]
    previous = known[-2] if len(known) > 1 else None
    return PeriodRows(
        df[values == current],
        df[values == previous] if previous is not None else empty,
        _period_label(pd.Timestamp(current), False),
        _period_label(pd.Timestamp(previous), False) if previous is not None else "",
        col,
    )


def weekly_series(
    df: pd.DataFrame, value_col: str, period: ReportPeriod
) -> list[tuple[date, float]]:
    """(period start, value) pairs in the trend window, averaged over rows of one period."""
    col = period_column(list(df.columns))
    if col is None:
        return []
    values = period_values(df, col)
    start, end = pd.Timestamp(period.trend_start), pd.Timestamp(period.last_week_end)
    frame = pd.DataFrame({"p": values, "v": pd.to_numeric(df[value_col], errors="coerce")})
    frame = frame[(frame["p"] >= start) & (frame["p"] < end)].dropna()
    grouped = frame.groupby("p")["v"].mean().sort_index()
    return [(p.date(), float(v)) for p, v in grouped.items()]


def comparison_table(
    caption: str,
    rows: PeriodRows,
    metrics: list[str],
    weights: str | None = None,
) -> Table:
    """One row per metric: current, previous, change (rows of one period are combined)."""
    headers = ["Metric", rows.current_label or "current"]
    if rows.previous_label:
        headers += [rows.previous_label, "Change"]
    table = Table(caption=caption, headers=headers)
    for metric in metrics:
        cur = combine(rows.current, metric, weights)
        prev = combine(rows.previous, metric, weights)
        unit = unit_of(metric)
        cells = [Cell(label(metric)), Cell(fmt(cur, unit))]
        if rows.previous_label:
            cells += [
                Cell(fmt(prev, unit), "muted"),
                Cell(change(cur, prev), trend(cur, prev, metric)),
            ]
        table.rows.append(cells)
    return table


def is_additive(metric: str) -> bool:
    """Counts and amounts add up over rows; rates, ratios and durations do not."""
    return unit_of(metric) in ("count", "money") and not any(
        w in metric for w in ("avg", "average", "median", "cac", "per_", "cost_per", "deal_size")
    )


def combine(df: pd.DataFrame, metric: str, weights: str | None = None) -> float | None:
    """One value of a metric over the rows of a period: the sum for counts and amounts, else
    the (weighted) mean."""
    if df.empty or metric not in df.columns:
        return None
    values = pd.to_numeric(df[metric], errors="coerce")
    if values.isna().all():
        return None
    if len(values) == 1:
        return float(values.iloc[0])
    if is_additive(metric):
        return float(values.sum())
    if weights and weights in df.columns:
        w = pd.to_numeric(df[weights], errors="coerce").fillna(0)
        mask = values.notna()
        if w[mask].sum() > 0:
            return float((values[mask] * w[mask]).sum() / w[mask].sum())
    return float(values.mean())


def metric_columns(df: pd.DataFrame, preferred: list[list[str]], limit: int = 8) -> list[str]:
    """The preferred metrics that exist, else the first numeric columns."""
    cols = list(df.columns)
    found = [c for cands in preferred if (c := pick(cols, cands))]
    out = list(dict.fromkeys(found))
    if not out:
        period = period_column(cols)
        out = numeric_columns(df, exclude=[period] if period else [])
    return out[:limit]


def dimension_table(
    caption: str, df: pd.DataFrame, dim: str, metrics: list[str], max_rows: int = 15
) -> Table:
    """One row per dimension value (e.g. channel) with its metrics, largest first."""
    table = Table(caption=caption, headers=[label(dim), *[label(m) for m in metrics]])
    if df.empty:
        return table
    frame = df[[dim, *metrics]].copy()
    sort_col = next((m for m in metrics if is_additive(m)), metrics[0] if metrics else dim)
    frame = frame.sort_values(sort_col, ascending=False, na_position="last").head(max_rows)
    for _, row in frame.iterrows():
        table.rows.append([Cell(str(row[dim]))] + [Cell(fmt(row[m], unit_of(m))) for m in metrics])
    return table
