"""The check history and the offending rows on target ``spark`` (Parquet tables, no DML).

DuckDB and PostgreSQL write both tables with SQL (orchestration/quality/history.py,
offending.py): ``alter table ... add column if not exists``, ``insert ... values`` and a
``delete`` of the checked rules' rows in one transaction. None of that is Spark SQL on a
Parquet table (no DELETE, no ``if not exists`` on ALTER, no transactions), so on Spark:

* ``quality.dq_check_results`` is append-only by nature (every check of every run), so the
  rows are *appended* (``DataFrame.write.insertInto``): one new Parquet file per write, nothing
  old is read or rewritten. A column the table lacks (a table made by an older revops) is added
  first with ``alter table ... add columns``.
* ``quality.dq_offending_rows`` keeps only each rule's latest rows: the rows of the other rules
  and this run's rows are written to ``dq_offending_rows__revops_new``, which then replaces the
  table (drop, rename), as the loader upserts raw tables (orchestration/ingest/spark_load.py).
  Not ``insert overwrite`` of the table itself: Spark refuses to overwrite a table that the
  same query reads, so the kept rows must be materialised somewhere first anyway. A reader
  between the drop and the rename finds no table (milliseconds; Delta or Iceberg would make
  this one atomic MERGE).

The tables have the same columns as on the other targets (``varchar``/``text`` as ``string``),
and dbt reads the history as the source revops_quality.dq_check_results.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from orchestration.quality import history, offending
from orchestration.spark import quote

HISTORY_TYPES = {
    "run_id": "string",
    "checked_at": "timestamp",
    "rule": "string",
    "severity": "string",
    "success": "boolean",
    "observed_value": "bigint",
    "threshold": "bigint",
    "unexpected_count": "bigint",
    "data_as_of": "timestamp",
    "status": "string",
}
OFFENDING_TYPES = {
    "run_id": "string",
    "checked_at": "timestamp",
    "data_as_of": "timestamp",
    "rule": "string",
    "row_number": "bigint",
    "row_values": "string",
}


def _name(table: str) -> str:
    return f"{quote(history.SCHEMA)}.{quote(table)}"


def _schema(types: Mapping[str, str]) -> str:
    return ", ".join(f"{quote(column)} {kind}" for column, kind in types.items())


def ensure_table(spark: Any, table: str, types: Mapping[str, str]) -> None:
    """Create ``quality.<table>`` (Parquet) if missing; add the columns an older one lacks."""
    spark.sql(f"create schema if not exists {quote(history.SCHEMA)}")
    spark.sql(f"create table if not exists {_name(table)} ({_schema(types)}) using parquet")
    have = {c.lower() for c in spark.table(_name(table)).columns}
    missing = {c: t for c, t in types.items() if c.lower() not in have}
    if missing:
        spark.sql(f"alter table {_name(table)} add columns ({_schema(missing)})")


def _utc(value: Any) -> Any:
    """A naive datetime (UTC, as every step keeps them) marked UTC: pyspark reads a naive one
    as the Python process's local time."""
    if isinstance(value, datetime) and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def _frame(spark: Any, rows: Sequence[tuple[Any, ...]], types: Mapping[str, str]) -> Any:
    data = [tuple(_utc(v) for v in row) for row in rows]
    return spark.createDataFrame(data, _schema(types).replace("`", ""))


def append_history(spark: Any, rows: Sequence[tuple[Any, ...]]) -> None:
    """Append history rows (tuples in history.COLUMNS order) to quality.dq_check_results."""
    assert tuple(HISTORY_TYPES) == history.COLUMNS
    ensure_table(spark, history.TABLE, HISTORY_TYPES)
    if not rows:
        return
    table = spark.table(_name(history.TABLE))
    # insertInto matches columns by position: the table's order (added columns come last)
    _frame(spark, rows, HISTORY_TYPES).select(*table.columns).write.insertInto(
        f"{history.SCHEMA}.{history.TABLE}"
    )


def replace_offending(spark: Any, rows: Sequence[tuple[Any, ...]], rules: Sequence[str]) -> None:
    """Replace the stored rows of ``rules`` with ``rows`` (offending.COLUMNS order)."""
    from pyspark.sql import functions as F

    assert tuple(OFFENDING_TYPES) == offending.COLUMNS
    ensure_table(spark, offending.TABLE, OFFENDING_TYPES)
    if not rules:
        return
    kept = spark.table(_name(offending.TABLE)).where(~F.col("rule").isin(list(rules)))
    merged = kept.select(*offending.COLUMNS).unionByName(_frame(spark, rows, OFFENDING_TYPES))
    staging = f"{offending.TABLE}__revops_new"
    spark.sql(f"drop table if exists {_name(staging)}")
    merged.write.format("parquet").saveAsTable(f"{history.SCHEMA}.{staging}")
    spark.sql(f"drop table {_name(offending.TABLE)}")
    spark.sql(f"alter table {_name(staging)} rename to {_name(offending.TABLE)}")


def write(
    spark: Any,
    history_rows: Sequence[tuple[Any, ...]],
    offending_rows: Sequence[tuple[Any, ...]],
    rules: Sequence[str],
) -> None:
    """Both writes of one check step: the verdicts, then the rules' latest rows."""
    append_history(spark, history_rows)
    replace_offending(spark, offending_rows, rules)
