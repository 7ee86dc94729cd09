"""Checks before a run starts: the warehouse can be reached, in seconds, with one clear message.

Without them a missing PostgreSQL database surfaced minutes later, once per step that connects
(the loader's retries included), and a DuckDB file held by another process only when the first
step tried to write.
"""

from __future__ import annotations

import os

from orchestration.console import first_line
from orchestration.settings import Settings
from orchestration.warehouse import WarehouseLockedError, connect

CONNECT_TIMEOUT_SECONDS = 5


def _duckdb_problem(settings: Settings) -> str | None:
    path = settings.duckdb_path
    if not path.exists():
        folder = next((p for p in (path, *path.parents) if p.exists()), None)
        if folder is None or not os.access(folder, os.W_OK):
            return f"cannot create the warehouse file {path}: {folder} is not writable"
        return None
    if not os.access(path, os.R_OK | os.W_OK):
        return f"the warehouse file {path} is not readable and writable by this user"
    try:
        # read-only: no file is created, and a writer elsewhere still makes it fail
        with connect(settings, read_only=True) as con:
            con.execute("select 1")
    except WarehouseLockedError as exc:
        return str(exc)
    except Exception as exc:  # a file that is not a DuckDB database, a newer format, ...
        return f"cannot open the warehouse file {path}: {first_line(exc) or type(exc).__name__}"
    return None


def _postgres_problem(settings: Settings) -> str | None:
    import psycopg2

    pg = settings.postgres
    try:
        con = psycopg2.connect(settings.postgres.dsn(), connect_timeout=CONNECT_TIMEOUT_SECONDS)
    except psycopg2.Error as exc:
        return (
            f"cannot connect to PostgreSQL database {pg.database!r} on {pg.host}:{pg.port} "
            f"as {pg.user!r}: {first_line(exc) or type(exc).__name__} "
            "(REVOPS_PG_* variables, README)"
        )
    con.close()
    return None


def warehouse_problem(settings: Settings) -> str | None:
    """Why the run's warehouse cannot be used right now, or None."""
    if settings.target == "duckdb":
        return _duckdb_problem(settings)
    if settings.target == "spark":
        return _spark_problem(settings)
    return _postgres_problem(settings)


def _spark_problem(settings: Settings) -> str | None:
    """Spark in process needs pyspark and a Java runtime; a cluster is reached by dbt itself."""
    import os
    import shutil

    if os.environ.get("REVOPS_SPARK_METHOD", "session") != "session":
        return None
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return "target spark needs pyspark and dbt-spark[session]: make install (docs/spark.md)"
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        return "target spark runs Spark in process and needs Java 17+ (docs/spark.md)"
    return None
