"""Read access to the marts for the report: which tables exist, their columns, small frames.

A table that is missing is reported as missing (the section names it), not as an error.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import pandas as pd

SCHEMA = "marts"


class MartReader:
    """A thin layer over a DB-API connection to the warehouse (DuckDB or PostgreSQL)."""

    def __init__(self, con: Any, schema: str = SCHEMA) -> None:
        self._con = con
        self.schema = schema
        self._tables: set[str] | None = None
        self._columns: dict[str, list[str]] = {}
        self.read: set[str] = set()  # the marts queried so far (the report's lineage, tested)

    def in_schema(self, schema: str) -> MartReader:
        """A reader of another schema on the same connection (its reads count as this one's)."""
        other = MartReader(self._con, schema)
        other.read = self.read
        return other

    def frame(self, sql: str) -> pd.DataFrame:
        """The result of one read query as a DataFrame."""
        pattern = rf'\b{re.escape(self.schema)}\."?([A-Za-z_][A-Za-z0-9_]*)'
        self.read.update(name.lower() for name in re.findall(pattern, sql))
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
