"""Helpers shared by the sections: how a section is declared, portable SQL literals, week
buckets, comparison rows."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date

import pandas as pd

from orchestration.report.formatting import change, fmt, trend
from orchestration.report.marts import MartReader
from orchestration.report.model import Cell, Chart, Section, Table
from orchestration.report.periods import ReportPeriod

#: Fills a section that has what it requires: (the section, the marts reader, the period).
Builder = Callable[[Section, MartReader, ReportPeriod], Section]


@dataclass(frozen=True)
class SectionSpec:
    """One section of the report: key, title and intro, the tables it reads (``schema_of``: a
    table outside the marts schema), the tables it cannot do without with the columns it needs
    (``requires``, checked before ``build`` runs) and the builder that fills it.

    Calling it makes the section: "not available", naming the missing table or columns, when
    a required table is not there; else what ``build`` makes of it.
    """

    key: str
    title: str
    intro: str
    reads: tuple[str, ...]
    requires: Mapping[str, tuple[str, ...]]
    schema_of: Mapping[str, str]
    build: Builder

    def empty(self) -> Section:
        """The section with its title and intro and nothing read yet."""
        return Section(
            self.key, self.title, self.reads, intro=self.intro, schema_of=dict(self.schema_of)
        )

    def __call__(self, reader: MartReader, period: ReportPeriod) -> Section:
        section = self.empty()
        for table, columns in self.requires.items():
            schema = self.schema_of.get(table)
            if not require(section, reader.in_schema(schema) if schema else reader, table, columns):
                return section
        return self.build(section, reader, period)


def report_section(
    key: str,
    title: str,
    intro: str,
    reads: tuple[str, ...],
    requires: Mapping[str, tuple[str, ...]],
    schema_of: Mapping[str, str] | None = None,
) -> Callable[[Builder], SectionSpec]:
    """Declare a builder as the section ``key`` (see SectionSpec)."""

    def declare(build: Builder) -> SectionSpec:
        return SectionSpec(key, title, intro, reads, dict(requires), dict(schema_of or {}), build)

    return declare


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
#: The scorecard's columns every reader of it needs (one row per week and metric).
SCORECARD_COLUMNS = ("week_start", "metric_name", "metric_value")


def scorecard_last_week(
    reader: MartReader, period: ReportPeriod
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The scorecard's rows, with ``week`` (naive UTC), and those of last week."""
    every_week = reader.table(SCORECARD)
    every_week["week"] = utc_naive(every_week["week_start"])
    return every_week, every_week[every_week["week"] == pd.Timestamp(period.last_week_start)]


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


def weekly_trend(
    section: Section,
    period: ReportPeriod,
    weeks: pd.DataFrame,
    *,
    caption: str,
    rows: tuple[tuple[str, str, str, str], ...],
    chart: Chart,
) -> None:
    """Add to ``section`` the table of last week against the week before (``rows`` of
    ``weeks``, see last_two_weeks_table) and ``chart`` drawn over the trend window: the data
    of ``chart`` names columns of ``weeks`` ({data key: column}), drawn as their weekly values."""
    section.tables.append(last_two_weeks_table(caption, period, weeks, rows))
    values = {key: listed(weeks[column]) for key, column in chart.data.items()}
    drawn = {"weeks": [w.date() for w in weeks.index], **values}
    section.charts.append(Chart(chart.kind, chart.title, drawn))


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
