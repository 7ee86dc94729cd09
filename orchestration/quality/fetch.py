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


# DuckDB column types whose Arrow conversion yields exactly the DataFrame that the row path
# (fetchall, then DataFrame.from_records) yields: the same dtypes, values and missing values
# (tests/quality/test_fetch.py compares both). Others (INTEGER becomes int32, FLOAT float32,
# HUGEINT Decimal, TIMESTAMP_NS ns, UUID str, ...) take the row path.
ARROW_SAFE_TYPES = frozenset({"VARCHAR", "BIGINT", "DOUBLE", "BOOLEAN", "TIMESTAMP", "DATE"})


def _frame(cursor: Any) -> pd.DataFrame:
    columns = [d[0] for d in cursor.description or ()]
    rows = cursor.fetchall()
    return pd.DataFrame.from_records(list(rows), columns=columns)


def arrow_safe(type_name: str) -> bool:
    """Whether a DuckDB column type converts through Arrow like through Python rows."""
    return type_name in ARROW_SAFE_TYPES or type_name.startswith("DECIMAL(")


def duckdb_frame(con: Any, sql: str) -> pd.DataFrame | None:
    """A DuckDB query's rows through Arrow (columnar: no Python object per value).

    The same DataFrame as ``_frame`` gives, several times faster on millions of rows; None when
    a column's type is not known to convert alike (the caller then takes the row path).
    """
    relation = con.sql(sql)
    names = list(relation.columns)
    if len(set(names)) != len(names) or not all(arrow_safe(str(t)) for t in relation.types):
        return None
    table = relation.to_arrow_table()
    frame = table.to_pandas()
    for name, column in zip(names, table.columns, strict=True):
        if column.null_count == table.num_rows:
            # From rows, a column of only NULLs (or of no rows) is an object column of None.
            frame[name] = pd.Series([None] * table.num_rows, index=frame.index, dtype=object)
    return frame


def _is_duckdb(con: Any) -> bool:
    return type(con).__module__.split(".")[0] in ("duckdb", "_duckdb")


def run_query(con: Any, sql: str, check_name: str) -> pd.DataFrame:
    """All rows of one query as a DataFrame (errors name the check)."""
    cur = con.cursor()
    try:
        if _is_duckdb(con):
            frame = duckdb_frame(cur, sql)
            if frame is not None:
                return frame
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
