"""Project settings, read from environment variables with documented defaults.

Every setting has one environment variable; nothing is read at import time, so tests can
point a fresh ``Settings.from_env()`` at a temporary directory.

| variable             | default                      | meaning                                    |
|----------------------|------------------------------|--------------------------------------------|
| REVOPS_PROJECT_DIR   | the repository root          | where dbt_project.yml lives                |
| REVOPS_TARGET        | duckdb                       | dbt target / warehouse: duckdb, postgres   |
|                      |                              | or spark (docs/spark.md)                   |
| REVOPS_DUCKDB_PATH   | data/warehouse.duckdb        | DuckDB file (relative to the project dir)  |
| REVOPS_DUCKDB_MEMORY_LIMIT | 2GB                    | DuckDB memory cap (dbt and Python steps)   |
| REVOPS_LANDING_DIR   | data/landing                 | folder of <system>/<table>.csv|jsonl files |
| REVOPS_REPORTS_DIR   | reports                      | where the weekly report is written         |
| REVOPS_SERVING_PATH  | marts.duckdb beside the      | the PII-free DuckDB file for BI tools      |
|                      | warehouse file               | (public marts only; orchestration/serving) |
| REVOPS_PARQUET_DIR   | marts_parquet beside the     | Parquet export of the public marts with    |
|                      | serving file                 | manifest.json                              |
| REVOPS_PAGES_URL     | http://127.0.0.1:3001        | where `revops serve` serves the check      |
|                      |                              | pages the Dagster checks link to           |
| REVOPS_AS_OF         | (empty: now)                 | the "now" of a run started by `revops` or  |
|                      |                              | the Dagster UI (resolved once per run:     |
|                      |                              | orchestration/run_settings.py)             |
| REVOPS_SPARK_DIR     | data/spark                   | local Spark (method session): its Hive     |
|                      |                              | metastore and warehouse folder             |
| REVOPS_PG_HOST, _PORT, _USER, _PASSWORD, _DATABASE: PostgreSQL target (127.0.0.1, 5432,
  postgres, empty, revops) |
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
TARGETS = ("duckdb", "postgres", "spark")
RAW_SYSTEMS = ("salesforce", "hubspot", "ads", "web")
SCHEMAS = {
    "raw": tuple(f"raw_{s}" for s in RAW_SYSTEMS),
    "staging": "staging",
    "intermediate": "intermediate",
    "marts": "marts",
    "quarantine": "raw_quarantine",
}


@dataclass(frozen=True)
class PostgresSettings:
    """Connection parameters of the PostgreSQL target (password only from the environment)."""

    host: str = "127.0.0.1"
    port: int = 5432
    user: str = "postgres"
    password: str = field(default="", repr=False)
    database: str = "revops"

    def dsn(self) -> str:
        """A libpq connection string built by the driver (values quoted: a password with a
        space or ``host=`` in it stays a password); the password only when set."""
        from psycopg2.extensions import make_dsn

        params = {
            "host": self.host,
            "port": self.port,
            "user": self.user,
            "dbname": self.database,
        }
        if self.password:
            params["password"] = self.password
        return make_dsn(**params)


@dataclass(frozen=True)
class Settings:
    """Where things are and which warehouse to use."""

    project_dir: Path = PROJECT_DIR
    target: str = "duckdb"
    duckdb_path: Path = PROJECT_DIR / "data" / "warehouse.duckdb"
    duckdb_memory_limit: str = "2GB"
    landing_dir: Path = PROJECT_DIR / "data" / "landing"
    reports_dir: Path = PROJECT_DIR / "reports"
    # The as_of asked for, as given (--as-of, REVOPS_AS_OF); a run resolves it once
    # (run_settings.resolve_as_of) and passes the resolved instant on.
    as_of: str = ""
    postgres: PostgresSettings = PostgresSettings()
    # None: beside the warehouse file (serving_file(), parquet_dir())
    serving_path: Path | None = None
    parquet_path: Path | None = None
    # where `revops serve` serves the check pages (orchestration/quality/pages.py)
    pages_url: str = "http://127.0.0.1:3001"
    # local Spark (target spark, method session): Hive metastore and table files (docs/spark.md)
    spark_dir: Path = PROJECT_DIR / "data" / "spark"

    def serving_file(self) -> Path:
        """The BI serving DuckDB file (default: marts.duckdb beside the warehouse file)."""
        return self.serving_path or self.duckdb_path.parent / "marts.duckdb"

    def parquet_dir(self) -> Path:
        """The Parquet export folder (default: marts_parquet beside the serving file)."""
        return self.parquet_path or self.serving_file().parent / "marts_parquet"

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        """Build settings from environment variables (``os.environ`` by default)."""
        env = dict(os.environ if env is None else env)
        project_dir = Path(env.get("REVOPS_PROJECT_DIR") or PROJECT_DIR).resolve()

        def path(var: str, default: str) -> Path:
            p = Path(env.get(var) or default)
            return p if p.is_absolute() else project_dir / p

        target = env.get("REVOPS_TARGET") or "duckdb"
        if target not in TARGETS:
            raise ValueError(f"REVOPS_TARGET={target!r}: expected one of {', '.join(TARGETS)}")

        def optional_path(var: str) -> Path | None:
            return path(var, "") if env.get(var) else None

        port_text = env.get("REVOPS_PG_PORT") or "5432"
        if not port_text.isdigit():
            raise ValueError(f"REVOPS_PG_PORT={port_text!r}: expected a port number")
        return cls(
            project_dir=project_dir,
            target=target,
            duckdb_path=path("REVOPS_DUCKDB_PATH", "data/warehouse.duckdb"),
            duckdb_memory_limit=env.get("REVOPS_DUCKDB_MEMORY_LIMIT") or "2GB",
            landing_dir=path("REVOPS_LANDING_DIR", "data/landing"),
            reports_dir=path("REVOPS_REPORTS_DIR", "reports"),
            as_of=env.get("REVOPS_AS_OF", ""),
            serving_path=optional_path("REVOPS_SERVING_PATH"),
            parquet_path=optional_path("REVOPS_PARQUET_DIR"),
            pages_url=env.get("REVOPS_PAGES_URL") or "http://127.0.0.1:3001",
            spark_dir=path("REVOPS_SPARK_DIR", "data/spark"),
            postgres=PostgresSettings(
                host=env.get("REVOPS_PG_HOST") or "127.0.0.1",
                port=int(port_text),
                user=env.get("REVOPS_PG_USER") or "postgres",
                password=env.get("REVOPS_PG_PASSWORD", ""),
                database=env.get("REVOPS_PG_DATABASE") or "revops",
            ),
        )

    def with_(self, **changes: object) -> Settings:
        """A copy with some fields changed."""
        return replace(self, **changes)  # type: ignore[arg-type]

    def to_env(self) -> dict[str, str]:
        """The environment variables that reproduce these settings (for dbt subprocesses).

        Not ``as_of``: a run passes its resolved as_of explicitly (run tag, dbt ``--vars``).
        """
        env = {
            "REVOPS_PROJECT_DIR": str(self.project_dir),
            "REVOPS_TARGET": self.target,
            "REVOPS_DUCKDB_PATH": str(self.duckdb_path),
            "REVOPS_DUCKDB_MEMORY_LIMIT": self.duckdb_memory_limit,
            "REVOPS_LANDING_DIR": str(self.landing_dir),
            "REVOPS_REPORTS_DIR": str(self.reports_dir),
            "REVOPS_PG_HOST": self.postgres.host,
            "REVOPS_PG_PORT": str(self.postgres.port),
            "REVOPS_PG_USER": self.postgres.user,
            "REVOPS_PG_PASSWORD": self.postgres.password,
            "REVOPS_PG_DATABASE": self.postgres.database,
            "REVOPS_PAGES_URL": self.pages_url,
            "REVOPS_SPARK_DIR": str(self.spark_dir),
        }
        # only when set: unset, they follow the warehouse file
        if self.serving_path:
            env["REVOPS_SERVING_PATH"] = str(self.serving_path)
        if self.parquet_path:
            env["REVOPS_PARQUET_DIR"] = str(self.parquet_path)
        return env
