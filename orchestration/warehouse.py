"""Connections to the configured warehouse (DuckDB file, PostgreSQL or Spark), for Python steps.

dbt opens its own connections; the loaders, quality checks and the report use these. DuckDB
allows one writer process at a time: a second writer gets a clear error naming the file
instead of a hang.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from typing import Any

import duckdb

from orchestration.settings import Settings


class WarehouseLockedError(RuntimeError):
    """Another process holds the DuckDB file open for writing."""


_HOLDER = re.compile(r"Conflicting lock is held in (?P<program>.+?) \(PID (?P<pid>\d+)\)")


def lock_holder(message: str) -> str:
    """The process DuckDB names in a lock error ("process 123 (python3.11)"), if it does."""
    match = _HOLDER.search(message)
    if match is None:
        return "another process"
    program = match.group("program").rsplit("/", 1)[-1]
    return f"process {match.group('pid')} ({program})"


@contextlib.contextmanager
def connect(settings: Settings, read_only: bool = False) -> Iterator[Any]:
    """A DB-API connection to the warehouse; closed on exit."""
    if settings.target == "duckdb":
        path = settings.duckdb_path
        if read_only and not path.exists():
            raise FileNotFoundError(f"warehouse file {path} does not exist: run `revops run` first")
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            con = duckdb.connect(str(path), read_only=read_only)
        except duckdb.IOException as exc:
            if "lock" in str(exc).lower():
                raise WarehouseLockedError(
                    f"{path} is locked by {lock_holder(str(exc))} (DuckDB allows one writer): "
                    "a BI tool or notebook holding the warehouse file open, or another run; "
                    "close it (BI tools read the serving file, README 'BI tools') or wait for "
                    "the run to finish"
                ) from exc
            raise
        con.execute("set TimeZone = 'UTC'")
        try:  # the same cap as dbt's sessions (profiles.yml); dlt borrows this connection
            con.execute("set memory_limit = ?", [settings.duckdb_memory_limit])
        except duckdb.Error as exc:
            con.close()
            raise ValueError(
                f"REVOPS_DUCKDB_MEMORY_LIMIT={settings.duckdb_memory_limit!r} is not a DuckDB "
                "memory size (e.g. 2GB, 512MB)"
            ) from exc
    elif settings.target == "spark":
        from orchestration.spark import Connection

        con = Connection(settings)
    else:
        import psycopg2

        con = psycopg2.connect(settings.postgres.dsn(), connect_timeout=10)
        con.autocommit = True
        with con.cursor() as cur:
            cur.execute("set timezone = 'UTC'")
    try:
        yield con
    finally:
        con.close()


def query(settings: Settings, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Run one read query and return all rows."""
    with connect(settings, read_only=settings.target == "duckdb") as con:
        cur = con.cursor()
        cur.execute(sql, params or None)
        return list(cur.fetchall())
