"""Write typed Arrow tables to Spark tables (target ``spark``) with pyspark DataFrames.

Why pyspark and not dlt: dlt has no Spark destination, and its ``filesystem`` destination
upserts (``merge``) only into Delta or Iceberg tables, whose jars are not installable here. A
pyspark DataFrame goes from the typed Arrow batch (the same ``casting`` output every target
loads, so the same contract, quarantine and row accounting) straight into a table of the
metastore, on a laptop's local Spark and on a cluster (Spark Connect) alike.

* Tables are Parquet (``USING parquet``): the format every Spark reads without extra jars.
* Column types come from the contract: text -> string, bigint, double, boolean, date,
  timestamp (naive UTC values; the session time zone is UTC).
* The same upsert as dlt's ``merge``/``upsert`` on the primary key (``_row_key`` for keyless
  tables): rows of the batch replace the stored rows with their key, the others stay. Parquet
  tables have no MERGE, so the table is rewritten: the kept old rows and the batch go to
  ``<table>__revops_new``, which then replaces the table. Into an empty or absent table the
  batch is written directly.
* A column new in a batch is added to the table (NULL in older rows), as dlt evolves schemas.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

import pyarrow as pa

from orchestration.ingest.casting import ROW_KEY
from orchestration.ingest.dlt_load import TableLoad, Warehouse
from orchestration.settings import Settings
from orchestration.spark import quote, session

SPARK_TYPES = {
    "text": "string",
    "bigint": "bigint",
    "double": "double",
    "boolean": "boolean",
    "date": "date",
    "timestamp": "timestamp",
}


@contextlib.contextmanager
def warehouse(settings: Settings) -> Iterator[Warehouse]:
    """The Spark session as the loader's warehouse (``destination`` is the session)."""
    spark = session(settings)
    yield Warehouse(spark, spark)


def has_rows(spark: Any, schema: str, table: str) -> bool:
    """Whether ``schema.table`` exists and holds at least one row."""
    if not spark.catalog.tableExists(f"{schema}.{table}"):
        return False
    return bool(spark.table(f"{quote(schema)}.{quote(table)}").limit(1).count())


def _frame(spark: Any, load: TableLoad) -> Any:
    """The batch as a DataFrame with the contract's Spark types, in the batch's column order."""
    keyless = not load.primary_key
    types = {c.name: SPARK_TYPES[c.data_type] for c in load.columns}
    if keyless:
        types[ROW_KEY] = "string"
    data = load.data
    # Arrow timestamps become Spark TIMESTAMP_NTZ; the contract's timestamps are UTC instants
    fields = [
        pa.field(f.name, pa.timestamp("us")) if pa.types.is_timestamp(f.type) else f
        for f in data.schema
    ]
    data = data.cast(pa.schema(fields))
    frame = spark.createDataFrame(data)
    return frame.select(
        *[frame[quote(n)].cast(types.get(n, "string")).alias(n) for n in data.column_names]
    )


def _write(spark: Any, schema: str, load: TableLoad) -> None:
    from pyspark.sql import functions as F

    name = f"{quote(schema)}.{quote(load.name)}"
    keys = list(load.primary_key) or [ROW_KEY]
    batch = _frame(spark, load)
    if not has_rows(spark, schema, load.name):
        spark.sql(f"drop table if exists {name}")
        batch.write.format("parquet").saveAsTable(f"{schema}.{load.name}")
        return
    old = spark.table(name)
    missing = [c for c in batch.columns if c.lower() not in {o.lower() for o in old.columns}]
    for column in missing:
        old = old.withColumn(column, F.lit(None).cast(batch.schema[column].dataType))
    for column in old.columns:  # a column absent from this file: NULL in the new rows
        if column.lower() not in {b.lower() for b in batch.columns}:
            batch = batch.withColumn(column, F.lit(None).cast(old.schema[column].dataType))
    kept = old.join(batch.select(*keys), on=keys, how="left_anti")
    merged = kept.unionByName(batch.select(*kept.columns))
    staging = f"{load.name}__revops_new"
    spark.sql(f"drop table if exists {quote(schema)}.{quote(staging)}")
    merged.write.format("parquet").saveAsTable(f"{schema}.{staging}")
    spark.sql(f"drop table {name}")
    spark.sql(f"alter table {quote(schema)}.{quote(staging)} rename to {name}")


def run(wh: Warehouse, dataset: str, tables: Sequence[TableLoad]) -> str:
    """Upsert the tables into the Spark schema ``dataset``; returns a load id."""
    spark = wh.connection
    spark.sql(f"create schema if not exists {quote(dataset)}")
    for load in tables:
        _write(spark, dataset, load)
    return f"{datetime.now(UTC).timestamp():.6f}-{uuid.uuid4().hex[:8]}"
