"""What BI tools open on the DuckDB target: a serving file and a Parquet export of the marts.

The warehouse file holds everything (raw_* with emails and names, staging, intermediate,
snapshots) and DuckDB has no permissions inside a file, so BI tools get their own file:

- ``marts.duckdb`` (``Settings.serving_file()``, REVOPS_SERVING_PATH): the public marts (every
  table of the warehouse's ``marts`` schema, nothing else; the marts hold no email address and
  no customer name) in the schema ``main``, with their table and column descriptions, written
  in DuckDB's storage format v1.0.0 so that DuckDB 1.x clients (many BI drivers) open it too.
- ``marts_parquet/`` (``Settings.parquet_dir()``, REVOPS_PARQUET_DIR): one ``<mart>.parquet``
  per mart and ``manifest.json`` (as_of, built_at, and per table its file, rows and columns
  with type and description).

Refreshes are atomic for readers: the new file is written under a temporary name in the same
folder, checkpointed, then moved over the old one with ``os.replace``. A reader that has the old
file open keeps reading the old file (POSIX keeps the replaced file alive while it is open)
and is never blocked, since the refresh never opens the served file; the next connection sees
the new one. The Parquet folder is written beside the old one and swapped in by two renames.

On the PostgreSQL target there is no serving file: BI tools connect to the database as a
login in the ``revops_bi`` role, which reads the marts (README, "Connecting a BI tool"); the
schema ``serving`` holds the last complete run's marts, swapped in whole
(orchestration/serving_pg.py).
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from orchestration.settings import Settings

MARTS_SCHEMA = "marts"
# The oldest storage format DuckDB 2.x writes; DuckDB 1.0 and later read it.
STORAGE_VERSION = "v1.0.0"
MANIFEST = "manifest.json"


@dataclass(frozen=True)
class ServedTable:
    """One mart in the serving file and the Parquet export."""

    table: str
    rows: int
    columns: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class ServingResult:
    """What a refresh wrote (paths None and ``skipped`` set when nothing was written)."""

    serving_file: Path | None
    parquet_dir: Path | None
    tables: list[ServedTable]
    skipped: str | None = None


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def public_marts(con: duckdb.DuckDBPyConnection, catalog: str) -> list[str]:
    """The base tables of the ``marts`` schema of an attached warehouse, by name."""
    rows = con.execute(
        "select table_name from duckdb_tables() where database_name = ? and schema_name = ? "
        "order by table_name",
        [catalog, MARTS_SCHEMA],
    ).fetchall()
    return [r[0] for r in rows]


def _copy_table(con: duckdb.DuckDBPyConnection, table: str) -> ServedTable:
    """Copy wh.marts.<table> into srv.main.<table> with its comments; describe it."""
    source = f"wh.{MARTS_SCHEMA}.{_ident(table)}"
    target = f"srv.main.{_ident(table)}"
    con.execute(f"create table {target} as select * from {source}")
    comment = con.execute(
        "select comment from duckdb_tables() where database_name = 'wh' and schema_name = ? "
        "and table_name = ?",
        [MARTS_SCHEMA, table],
    ).fetchone()
    if comment and comment[0]:
        con.execute(f"comment on table {target} is {_literal(comment[0])}")
    columns = con.execute(
        "select column_name, data_type, comment from duckdb_columns() where database_name = 'wh' "
        "and schema_name = ? and table_name = ? order by column_index",
        [MARTS_SCHEMA, table],
    ).fetchall()
    for name, _, description in columns:
        if description:
            con.execute(f"comment on column {target}.{_ident(name)} is {_literal(description)}")
    (rows,) = con.execute(f"select count(*) from {target}").fetchone()  # type: ignore[misc]
    return ServedTable(
        table=table,
        rows=int(rows),
        columns=[{"name": n, "type": t, "description": d or ""} for n, t, d in columns],
    )


def _write_serving_file(settings: Settings, tmp: Path) -> list[ServedTable]:
    """Write the public marts of the warehouse into a new DuckDB file at ``tmp``."""
    con = duckdb.connect()
    try:
        con.execute("set memory_limit = ?", [settings.duckdb_memory_limit])
        con.execute(f"attach {_literal(str(settings.duckdb_path))} as wh (read_only)")
        con.execute(f"attach {_literal(str(tmp))} as srv (storage_version '{STORAGE_VERSION}')")
        names = public_marts(con, "wh")
        if not names:  # never replace a served file with an empty one
            raise RuntimeError(f"{settings.duckdb_path} has no marts to serve: run the pipeline")
        tables = [_copy_table(con, t) for t in names]
        con.execute("detach srv")  # checkpoints: the file is complete, no WAL left
    finally:
        con.close()
    wal = tmp.with_name(tmp.name + ".wal")
    if wal.exists():
        raise RuntimeError(f"{tmp} was not checkpointed ({wal} remains)")
    return tables


def _write_parquet(source: Path, folder: Path, tables: list[ServedTable], as_of: str) -> None:
    """One Parquet file per table of ``source`` (a serving file) and manifest.json."""
    folder.mkdir(parents=True)
    con = duckdb.connect(str(source), read_only=True)
    try:
        for t in tables:
            path = folder / f"{t.table}.parquet"
            con.execute(
                f"copy (select * from main.{_ident(t.table)}) to {_literal(str(path))} "
                "(format parquet)"
            )
    finally:
        con.close()
    manifest = {
        "as_of": as_of,
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "tables": [
            {"table": t.table, "file": f"{t.table}.parquet", "rows": t.rows, "columns": t.columns}
            for t in tables
        ],
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")


def _swap_folder(new: Path, target: Path) -> None:
    """Put ``new`` in ``target``'s place (the old folder is removed afterwards)."""
    old = target.with_name(f".{target.name}.old-{uuid.uuid4().hex[:8]}")
    if target.exists():
        target.rename(old)
    new.rename(target)
    shutil.rmtree(old, ignore_errors=True)


def data_as_of(as_of: datetime | None) -> str:
    """The run's as_of (naive UTC) as ISO text with Z, else the current UTC time."""
    if as_of is None:
        return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
    return as_of.replace(tzinfo=None).isoformat(timespec="seconds") + "Z"


def refresh(
    settings: Settings, parquet: bool = True, as_of: datetime | None = None
) -> ServingResult:
    """Rewrite the serving file (and the Parquet export) from the warehouse's marts; ``as_of``
    is the run's (the manifest records it), the current time when not given."""
    if settings.target == "postgres":
        from orchestration.serving_pg import publish

        return ServingResult(None, None, [ServedTable(t, n) for t, n in publish(settings).items()])
    if settings.target != "duckdb":
        return ServingResult(None, None, [], skipped=f"target {settings.target}: no serving")
    if not settings.duckdb_path.exists():
        raise FileNotFoundError(f"warehouse file {settings.duckdb_path} does not exist")
    target = settings.serving_file()
    target.parent.mkdir(parents=True, exist_ok=True)
    token = uuid.uuid4().hex[:8]
    tmp = target.with_name(f".{target.name}.{token}.tmp")
    folder = settings.parquet_dir()
    tmp_folder = folder.with_name(f".{folder.name}.{token}.tmp")
    try:
        tables = _write_serving_file(settings, tmp)
        if parquet:
            folder.parent.mkdir(parents=True, exist_ok=True)
            _write_parquet(tmp, tmp_folder, tables, data_as_of(as_of))
        os.replace(tmp, target)
        if parquet:
            _swap_folder(tmp_folder, folder)
    finally:
        for leftover in (tmp, tmp.with_name(tmp.name + ".wal")):
            leftover.unlink(missing_ok=True)
        shutil.rmtree(tmp_folder, ignore_errors=True)
    return ServingResult(target, folder if parquet else None, tables)
