"""The Spark session of the Python steps (loader, quality checks, report) on target ``spark``.

dbt (dbt-spark, ``method: session``) starts its own Spark in its own process; the Python steps
use pyspark with the same settings as profiles.yml's ``spark`` output (the same environment
variables, ``spark_conf``), so both see the same Hive metastore and table files.

Local Spark keeps its table catalogue in an embedded Derby metastore, which one JVM at a time
can open. A step's session is therefore started lazily and ``release()`` stops it *and its JVM*
before a dbt process starts (orchestration/assets/dbt.py) and when a run ends. On a cluster
(``REVOPS_SPARK_REMOTE=sc://host:15002``, Spark Connect) the Python steps are a client of the
cluster and this constraint does not apply (docs/spark.md).
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from orchestration.settings import Settings

_LOCK = threading.Lock()
_SESSION: Any = None


def spark_conf(settings: Settings, env: dict[str, str] | None = None) -> dict[str, str]:
    """The Spark configuration of profiles.yml's ``spark`` output (``server_side_parameters``)."""
    env = dict(os.environ if env is None else env)
    root = Path(settings.spark_dir)
    local = (env.get("REVOPS_SPARK_METHOD") or "session") == "session"
    return {
        "spark.master": env.get("REVOPS_SPARK_MASTER") or "local[2]",
        "spark.sql.session.timeZone": "UTC",
        "spark.sql.warehouse.dir": str(root / "warehouse"),
        "spark.hadoop.javax.jdo.option.ConnectionURL": (
            f"jdbc:derby:;databaseName={root / 'metastore_db'};create=true"
        ),
        "spark.driver.memory": env.get("REVOPS_SPARK_DRIVER_MEMORY") or "4g",
        # deep plans without code generation overflowed the default 1 MB stack; as profiles.yml
        "spark.driver.extraJavaOptions": env.get("REVOPS_SPARK_JAVA_OPTIONS", "-Xss64m"),
        "spark.sql.shuffle.partitions": env.get("REVOPS_SPARK_SHUFFLE_PARTITIONS") or "4",
        # off for a local session (small data: re-planning after every stage costs more than it
        # saves), Spark's default on a cluster; as profiles.yml
        "spark.sql.adaptive.enabled": env.get("REVOPS_SPARK_ADAPTIVE")
        or ("false" if local else "true"),
        # off for a local session too (compiling each query to bytecode costs more than it
        # saves on small data), Spark's default on a cluster; as profiles.yml
        "spark.sql.codegen.wholeStage": env.get("REVOPS_SPARK_CODEGEN")
        or ("false" if local else "true"),
        "spark.ui.enabled": "false",
        # no "[Stage 3:=====>" bars in the run's output
        "spark.ui.showConsoleProgress": "false",
        # fct_attribution_channel_effects chains 32 squarings: more than the default 100 passes
        "spark.sql.analyzer.maxIterations": "1000",
    }


def location(settings: Settings, env: dict[str, str] | None = None) -> str:
    """Where the Spark warehouse is, for people: the cluster, or the local metastore folder."""
    env = dict(os.environ if env is None else env)
    if env.get("REVOPS_SPARK_REMOTE"):
        return env["REVOPS_SPARK_REMOTE"]
    method = env.get("REVOPS_SPARK_METHOD") or "session"
    if method != "session":
        return f"spark {method} {env.get('REVOPS_SPARK_HOST') or 'localhost'}"
    return f"local Spark, tables and metastore in {Path(settings.spark_dir).resolve()}"


def session(settings: Settings) -> Any:
    """The process's Spark session (started on first use, reused until ``release()``)."""
    global _SESSION
    with _LOCK:
        if _SESSION is not None:
            return _SESSION
        from pyspark.sql import SparkSession

        remote = os.environ.get("REVOPS_SPARK_REMOTE")
        builder = SparkSession.builder
        if remote:
            builder = builder.remote(remote)
        else:
            Path(settings.spark_dir).mkdir(parents=True, exist_ok=True)
            builder = builder.enableHiveSupport()
            for key, value in spark_conf(settings).items():
                builder = builder.config(key, value)
            # derby.log beside the metastore, not in the working directory
            os.environ.setdefault(
                "JDK_JAVA_OPTIONS", f"-Dderby.system.home={Path(settings.spark_dir).resolve()}"
            )
        spark = builder.getOrCreate()
        if not remote:
            spark.sparkContext.setLogLevel("ERROR")
        # the Python steps' SQL is written for PostgreSQL and DuckDB: "quoted" identifiers,
        # 'quoted' strings (dbt's own session keeps Spark's default, backquoted identifiers)
        spark.conf.set("spark.sql.ansi.doubleQuotedIdentifiers", "true")
        _SESSION = spark
        return spark


def release() -> None:
    """Stop this process's local Spark and its JVM (frees the Derby metastore for dbt)."""
    global _SESSION
    with _LOCK:
        spark, _SESSION = _SESSION, None
        if spark is None:
            return
        spark.stop()
        if os.environ.get("REVOPS_SPARK_REMOTE"):
            return
        from pyspark import SparkContext

        gateway = SparkContext._gateway
        if gateway is None:
            return
        proc = getattr(gateway, "proc", None)
        gateway.shutdown()
        SparkContext._gateway = None
        SparkContext._jvm = None
        if proc is not None:  # the JVM exits when its stdin closes (PythonGatewayServer)
            if proc.stdin is not None:
                proc.stdin.close()
            try:
                proc.wait(timeout=30)
            except Exception:
                proc.kill()


def quote(name: str) -> str:
    """A Spark SQL identifier."""
    return "`" + name.replace("`", "``") + "`"


_INFORMATION_SCHEMA = re.compile(r"\binformation_schema\.(tables|columns)\b", re.IGNORECASE)
_VIEWS = {
    "tables": "revops_information_schema_tables",
    "columns": "revops_information_schema_columns",
}


def catalog_tables(spark: Any, databases: Sequence[str] | None = None) -> Iterator[tuple[str, Any]]:
    """(database, table) of Spark's catalogue tables and views in ``databases`` (default every
    database; one that does not exist is skipped). Spark lists the session's temporary views
    in every database, but they belong to none (listColumns(view, database) fails): they are
    left out."""
    names = [d.name for d in spark.catalog.listDatabases()] if databases is None else databases
    for database in names:
        if databases is not None and not spark.catalog.databaseExists(database):
            continue
        for table in spark.catalog.listTables(database):
            if not table.isTemporary:
                yield database, table


def information_schema(spark: Any, sql: str) -> str:
    """``sql`` with ``information_schema.tables``/``.columns`` (which Spark lacks) replaced by
    temporary views of the same columns, listed from Spark's catalogue at this moment: the
    Python steps' queries stay one text for every target."""
    tables: list[tuple[str, str, str]] = []
    columns: list[tuple[str, str, str, str, int]] = []
    for database, table in catalog_tables(spark):
        kind = "VIEW" if table.tableType == "VIEW" else "BASE TABLE"
        tables.append((database, table.name, kind))
        if _INFORMATION_SCHEMA.search(sql) and "columns" in sql.lower():
            for position, column in enumerate(
                spark.catalog.listColumns(table.name, database), start=1
            ):
                columns.append((database, table.name, column.name, column.dataType, position))
    spark.createDataFrame(
        tables, "table_schema string, table_name string, table_type string"
    ).createOrReplaceTempView(_VIEWS["tables"])
    spark.createDataFrame(
        columns,
        "table_schema string, table_name string, column_name string, data_type string, "
        "ordinal_position int",
    ).createOrReplaceTempView(_VIEWS["columns"])
    return _INFORMATION_SCHEMA.sub(lambda m: _VIEWS[m.group(1).lower()], sql)


class Cursor:
    """A DB-API style cursor over Spark SQL (what the Python steps' queries need)."""

    def __init__(self, spark: Any) -> None:
        self._spark = spark
        self._rows: list[tuple[Any, ...]] = []
        self.description: list[tuple[Any, ...]] | None = None

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> Cursor:
        if _INFORMATION_SCHEMA.search(sql):
            sql = information_schema(self._spark, sql)
        if params:
            sql = sql.replace("?", "{}").replace("%s", "{}").format(*(_lit(p) for p in params))
        frame = self._spark.sql(sql)
        self.description = [
            (f.name, str(f.dataType), None, None, None, None, None) for f in frame.schema.fields
        ]
        self._rows = [tuple(r) for r in frame.collect()] if frame.schema.fields else []
        return self

    def fetchall(self) -> list[tuple[Any, ...]]:
        rows, self._rows = self._rows, []
        return rows

    def fetchone(self) -> tuple[Any, ...] | None:
        return self._rows.pop(0) if self._rows else None

    def fetch_df(self) -> Any:
        import pandas as pd

        names = [d[0] for d in self.description or []]
        return pd.DataFrame(self.fetchall(), columns=names)

    def close(self) -> None:
        self._rows = []


class Connection:
    """A DB-API style connection: cursors over the process's Spark session."""

    def __init__(self, settings: Settings) -> None:
        self.spark = session(settings)

    def cursor(self) -> Cursor:
        return Cursor(self.spark)

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> Cursor:
        return self.cursor().execute(sql, params)

    def close(self) -> None:
        """Nothing: the session stays for the next step (``release()`` ends it)."""


def _lit(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    return "'" + str(value).replace("\\", "\\\\").replace("'", "\\'") + "'"
