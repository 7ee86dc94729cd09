"""Write typed Arrow tables to the warehouse with dlt.

* Destination: the DuckDB file (through ``orchestration.warehouse.connect``, so a file locked by
  another process gives ``WarehouseLockedError`` at once instead of a hang) or PostgreSQL.
* Naming convention ``direct``: names are kept exactly as in the files. The ``sql_*`` and
  ``snake_case`` conventions collapse ``__`` into ``_`` and would turn Salesforce custom fields
  (``foo__c``) into ``foo_c``. dlt quotes every identifier, so the ``user`` table works on
  PostgreSQL.
* Write disposition ``merge`` with the ``upsert`` strategy on the contract's primary key (the
  ``_row_key`` for keyless tables): a reload changes nothing, a later batch replaces rows with the
  same key. ``upsert`` (one MERGE) is about twice as fast as dlt's default ``delete-insert`` and
  needs unique keys per batch, which ``casting.py`` guarantees. No ``hard_delete`` hint: soft
  delete flags are plain columns.
* Each run uses a fresh temporary pipelines folder: the loader keeps no local dlt state (the
  schema lives in the destination's ``_dlt_version`` table) and parallel runs never share files.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
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


def configure_dlt() -> None:
    """Project defaults for dlt's environment configuration (explicit settings win)."""
    for key, value in DLT_DEFAULTS.items():
        os.environ.setdefault(key, value)


@contextlib.contextmanager
def destination(settings: Settings) -> Iterator[Any]:
    """A dlt destination for the configured warehouse."""
    configure_dlt()
    if settings.target == "duckdb":
        with connect(settings) as con:
            yield dlt.destinations.duckdb(con)
        return
    pg = settings.postgres
    yield dlt.destinations.postgres(
        credentials={
            "host": pg.host,
            "port": pg.port,
            "username": pg.user,
            "password": pg.password,
            "database": pg.database,
        }
    )


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
        write_disposition={"disposition": "merge", "strategy": "upsert"},
        primary_key=keys,
        columns=column_hints(load.columns, keyless),
    )


def run(dest: Any, dataset: str, tables: Sequence[TableLoad]) -> str:
    """Load the tables into ``dataset`` in one dlt run; returns the dlt load id.

    DuckDB loads Parquet files; PostgreSQL loads CSV through COPY (dlt's Parquet path on
    PostgreSQL needs the ADBC driver, and its default INSERT statements are slow).
    """
    name = f"revops_{dataset}"
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
