"""Read access to the marts for the report: which tables exist, their columns, small frames.

The KPI marts evolve; the report looks columns up by meaning (candidate names) instead of
hard-coding one spelling, and a table that is missing is reported as missing, not as an error.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd

SCHEMA = "marts"

PERIOD_COLUMNS = (
    "week_start",
    "week_start_date",
    "week_starting",
    "week",
    "report_week",
    "period_start",
    "period",
    "month_start",
    "month",
    "cohort_month",
    "date_day",
    "date",
    "day",
)


class MartReader:
    """A thin layer over a DB-API connection to the warehouse (DuckDB or PostgreSQL)."""

    def __init__(self, con: Any, schema: str = SCHEMA) -> None:
        self._con = con
        self.schema = schema
        self._tables: set[str] | None = None
        self._columns: dict[str, list[str]] = {}

    def frame(self, sql: str) -> pd.DataFrame:
        """The result of one read query as a DataFrame."""
        cur = self._con.cursor()
        cur.execute(sql)
        names = [d[0] for d in cur.description]
        return pd.DataFrame(list(cur.fetchall()), columns=names)

    def tables(self) -> set[str]:
        """Tables and views in the marts schema."""
        if self._tables is None:
            df = self.frame(
                "select table_name from information_schema.tables "
                f"where table_schema = '{self.schema}'"
            )
            self._tables = {str(t).lower() for t in df["table_name"]}
        return self._tables

    def has(self, table: str) -> bool:
        return table.lower() in self.tables()

    def missing(self, tables: Iterable[str]) -> list[str]:
        """The qualified names of the tables that do not exist."""
        return [f"{self.schema}.{t}" for t in tables if not self.has(t)]

    def columns(self, table: str) -> list[str]:
        """Column names of a table, in order."""
        if table not in self._columns:
            df = self.frame(
                "select column_name from information_schema.columns "
                f"where table_schema = '{self.schema}' and table_name = '{table}' "
                "order by ordinal_position"
            )
            self._columns[table] = [str(c).lower() for c in df["column_name"]]
        return self._columns[table]

    def table(self, table: str, limit: int = 100_000) -> pd.DataFrame:
        """A whole (small, aggregated) mart."""
        df = self.frame(f'select * from {self.schema}."{table}" limit {int(limit)}')
        df.columns = [str(c).lower() for c in df.columns]
        return df


def pick(columns: Sequence[str], candidates: Iterable[str]) -> str | None:
    """The first candidate that is a column (exact name first, then as a name part)."""
    cols = [c.lower() for c in columns]
    candidates = [c.lower() for c in candidates]
    for cand in candidates:
        if cand in cols:
            return cand
    for cand in candidates:
        for col in cols:
            if col.startswith(cand + "_") or col.endswith("_" + cand) or f"_{cand}_" in col:
                return col
    return None


def numeric_columns(df: pd.DataFrame, exclude: Iterable[str] = ()) -> list[str]:
    """Numeric columns (booleans and id-like columns excluded)."""
    skip = set(exclude)
    out = []
    for col in df.columns:
        if col in skip or col.endswith("_id") or col == "id":
            continue
        series = df[col]
        if pd.api.types.is_bool_dtype(series):
            continue
        if pd.api.types.is_numeric_dtype(series):
            out.append(col)
        elif series.dtype == object and len(series.dropna()):
            converted = pd.to_numeric(series.dropna(), errors="coerce")
            if converted.notna().all() and not series.dropna().map(type).eq(str).any():
                out.append(col)
    return out


def period_column(columns: Sequence[str]) -> str | None:
    """The column that says which week/month/day a row belongs to."""
    return pick(columns, PERIOD_COLUMNS)
