"""Write typed Arrow tables to the warehouse with dlt.

* Destination: the DuckDB file (through ``orchestration.warehouse.connect``, so a file locked by
  another process gives ``WarehouseLockedError`` at once instead of a hang) or PostgreSQL.
* Naming convention ``direct``: names are kept exactly as in the files. The ``sql_*`` and
  ``snake_case`` conventions collapse ``__`` into ``_`` and would turn Salesforce custom fields
  (``foo__c``) into ``foo_c``. dlt quotes every identifier, so the ``user`` table works on
  PostgreSQL.
* Write disposition ``merge`` with the ``upsert`` strategy on the contract's primary key (the
  ``_row_key`` for keyless tables): a reload changes nothing, a later batch replaces rows with
  the same key. ``upsert`` (one MERGE) is about twice as fast as dlt's default
  ``delete-insert`` and needs unique keys per batch, which ``casting.py`` guarantees. Into an
  empty or absent table, ``append`` gives the same result faster. No ``hard_delete`` hint:
  soft delete flags are plain columns.
* Each run uses a fresh temporary pipelines folder: the loader keeps no local dlt state (the
  schema lives in the destination's ``_dlt_version`` table) and parallel runs never share files.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any

import dlt
import pyarrow as pa

from orchestration.ingest.casting import ROW_KEY, OutputColumn
from orchestration.settings import Settings
from orchestration.warehouse import connect

NAMING = "direct"
DLT_TYPES = {
    "text": "text",
    "bigint": "bigint",
    "double": "double",
    "boolean": "bool",
    "date": "date",
    "timestamp": "timestamp",
}
DLT_DEFAULTS = {
    # no network calls from the loader; staging copies are emptied after each merge
    "RUNTIME__DLTHUB_TELEMETRY": "false",
    "LOAD__TRUNCATE_STAGING_DATASET": "true",
}


@dataclass(frozen=True)
class TableLoad:
    """One table for one dlt run."""

    name: str
    data: pa.Table
    columns: Sequence[OutputColumn]
    primary_key: Sequence[str]
    initial: bool = False  # the destination table is empty or absent: append, no merge


def configure_dlt() -> None:
    """Project defaults for dlt's environment configuration (explicit settings win)."""
    for key, value in DLT_DEFAULTS.items():
        os.environ.setdefault(key, value)


@dataclass(frozen=True)
class Warehouse:
    """A dlt destination and a DB-API connection to the same warehouse."""

    destination: Any
    connection: Any


@contextlib.contextmanager
def warehouse(settings: Settings) -> Iterator[Warehouse]:
    """The configured warehouse; for DuckDB, dlt borrows our connection, so a file locked by
    another process raises ``WarehouseLockedError`` here, before any work."""
    configure_dlt()
    with connect(settings) as con:
        if settings.target == "duckdb":
            yield Warehouse(dlt.destinations.duckdb(con), con)
            return
        pg = settings.postgres
        dest = dlt.destinations.postgres(
            credentials={
                "host": pg.host,
                "port": pg.port,
                "username": pg.user,
                "password": pg.password,
                "database": pg.database,
            }
        )
        yield Warehouse(dest, con)


def has_rows(con: Any, schema: str, table: str) -> bool:
    """Whether ``schema.table`` exists and holds at least one row."""
    cur = con.cursor()
    cur.execute(
        "select count(*) from information_schema.tables "
        f"where table_schema = {_literal(schema)} and table_name = {_literal(table)}"
    )
    if not cur.fetchall()[0][0]:
        return False
    cur.execute(f"select 1 from {_ident(schema)}.{_ident(table)} limit 1")
    return bool(cur.fetchall())


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def column_hints(columns: Sequence[OutputColumn], keyless: bool) -> dict[str, dict[str, Any]]:
    """dlt column hints from the contract (timestamps are naive UTC)."""
    hints: dict[str, dict[str, Any]] = {}
    for col in columns:
        hint: dict[str, Any] = {"name": col.name, "data_type": DLT_TYPES[col.data_type]}
        if col.data_type == "timestamp":
            hint["timezone"] = False
        hints[col.name] = hint
    if keyless:
        hints[ROW_KEY] = {"name": ROW_KEY, "data_type": "text", "nullable": False}
    return hints


def _required_fields(data: pa.Table, names: Sequence[str]) -> pa.Table:
    """Mark key columns NOT NULL in the Arrow schema too (they are never null here), so the
    Arrow schema agrees with dlt's key hints."""
    fields = [f.with_nullable(False) if f.name in names else f for f in data.schema]
    return data.cast(pa.schema(fields, metadata=data.schema.metadata))


def resource(load: TableLoad) -> Any:
    """A dlt resource that upserts one Arrow table."""
    keyless = not load.primary_key
    keys = list(load.primary_key) if not keyless else [ROW_KEY]
    return dlt.resource(
        _required_fields(load.data, keys),
        name=load.name,
        table_name=load.name,
        write_disposition=(
            "append" if load.initial else {"disposition": "merge", "strategy": "upsert"}
        ),
        primary_key=keys,
        columns=column_hints(load.columns, keyless),
    )


def run(wh: Warehouse, dataset: str, tables: Sequence[TableLoad]) -> str:
    """Load the tables into ``dataset`` in one dlt run; returns the dlt load id.

    A table that is empty or absent is appended to (its rows are already unique per key), which
    skips the staging copy and MERGE of an upsert: a first load or a reload after a full
    refresh costs about half as much.

    DuckDB loads Parquet files; PostgreSQL loads CSV through COPY (dlt's Parquet path on
    PostgreSQL needs the ADBC driver, and its default INSERT statements are slow).
    """
    name = f"revops_{dataset}"
    dest = wh.destination
    tables = [replace(t, initial=not has_rows(wh.connection, dataset, t.name)) for t in tables]
    with tempfile.TemporaryDirectory(prefix="revops-dlt-") as pipelines_dir:
        pipeline = dlt.pipeline(
            pipeline_name=name,
            destination=dest,
            dataset_name=dataset,
            pipelines_dir=pipelines_dir,
        )
        schema = dlt.Schema(name, normalizers={"names": NAMING})
        file_format = "csv" if dest.destination_name == "postgres" else None
        info = pipeline.run(
            [resource(t) for t in tables], schema=schema, loader_file_format=file_format
        )
    return info.loads_ids[-1] if info.loads_ids else ""
