"""Reading the warehouse into pandas: the rows a rule returns, the columns a suite checks.

Great Expectations validates these DataFrames, not SQL tables: GX 1.x through SQLAlchemy on
DuckDB reports every expectation as failed ("list index out of range"), and DataFrames behave
the same whether they came from DuckDB or PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd


class FetchError(RuntimeError):
    """A query of a check failed; the message names the check and the warehouse error."""


def _frame(cursor: Any) -> pd.DataFrame:
    columns = [d[0] for d in cursor.description or ()]
    rows = cursor.fetchall()
    return pd.DataFrame.from_records(list(rows), columns=columns)


def run_query(con: Any, sql: str, check_name: str) -> pd.DataFrame:
    """All rows of one query as a DataFrame (errors name the check)."""
    cur = con.cursor()
    try:
        cur.execute(sql)
        return _frame(cur)
    except Exception as exc:
        message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise FetchError(f"{check_name}: query failed: {message}") from exc
    finally:
        cur.close()


def quote(identifier: str) -> str:
    """A double-quoted SQL identifier (portable)."""
    return '"' + identifier.replace('"', '""') + '"'


def _text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def table_columns(con: Any, schema: str, table: str) -> list[str]:
    """Columns of a table from information_schema (empty when the table does not exist)."""
    cur = con.cursor()
    try:
        cur.execute(
            "select column_name from information_schema.columns "
            f"where table_schema = {_text(schema)} and table_name = {_text(table)} "
            "order by ordinal_position"
        )
        return [r[0] for r in cur.fetchall()]
    finally:
        cur.close()


def fetch_table(
    con: Any, schema: str, table: str, columns: Sequence[str], check_name: str
) -> pd.DataFrame:
    """The given columns of a raw table (only those the suite needs, to keep memory small)."""
    existing = table_columns(con, schema, table)
    if not existing:
        raise FetchError(f"{check_name}: table {schema}.{table} does not exist")
    missing = [c for c in columns if c not in existing]
    if missing:
        raise FetchError(
            f"{check_name}: table {schema}.{table} lacks column(s) {', '.join(missing)}"
        )
    select = ", ".join(quote(c) for c in columns) or "1 as one"
    return run_query(con, f"select {select} from {quote(schema)}.{quote(table)}", check_name)


def existing_relations(con: Any, relations: Sequence[str]) -> set[str]:
    """Which of the given schema.table relations (tables or views) exist."""
    if not relations:
        return set()
    cur = con.cursor()
    try:
        cur.execute("select table_schema, table_name from information_schema.tables")
        present = {f"{schema}.{table}" for schema, table in cur.fetchall()}
    finally:
        cur.close()
    return {r for r in relations if r in present}
