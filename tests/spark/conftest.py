"""One small demo company built on DuckDB and on Apache Spark, once per session (marker spark).

The simulator writes a small company (scale 0.01); the product loader loads the same landing
files into a DuckDB file and into local Spark (target ``spark``, dbt-spark ``method: session``,
a Hive metastore and warehouse folder of this session); `dbt build` then builds the same
models and seeds on both (BUILD: every model, no data tests, no snapshots; about 4 minutes
alone on the 2-core machine, more beside CI's other workers). It runs once, in this fixture, and
the Spark folder is the first work unit CI's workers take (tests/conftest.py, SLOWEST_FIRST).
"""

from __future__ import annotations

import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.dbt_cli import REPO
from tests.dbt_cli import run_dbt as _dbt

SCALE = 0.01
SEED = 1
AS_OF = "2026-01-01T00:00:00Z"
# Every public mart (each model of models/marts is a table of the marts schema), compared with
# the DuckDB build (a new mart is compared without a change here).
SPARK_MARTS = tuple(sorted(p.stem for p in (REPO / "models" / "marts").rglob("*.sql")))
# every model and seed, on both targets; not the data tests on Spark (a query of a second or
# more each there: the opt-in whole-pipeline run, test_spark_run.py, runs them), nor snapshots,
# which are skipped on Spark (docs/spark.md)
BUILD = ["build", "--exclude-resource-type", "unit_test", "test", "snapshot"]


@dataclass
class SparkDemo:
    work: Path
    duckdb_path: Path
    spark_dir: Path
    duckdb_loads: list[Any]
    spark_loads: list[Any]
    seconds: dict[str, float] = field(default_factory=dict)

    def spark_settings(self) -> Any:
        from orchestration.settings import Settings

        return Settings.from_env(
            {
                "REVOPS_TARGET": "spark",
                "REVOPS_SPARK_DIR": str(self.spark_dir),
                "REVOPS_PROJECT_DIR": str(REPO),
            }
        )


def _missing_spark() -> str | None:
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        return "no Java runtime (Spark needs Java 17: apt-get install openjdk-17-jre-headless)"
    for module in ("pyspark", "dbt.adapters.spark"):
        try:
            __import__(module)
        except ImportError:
            return f"{module} is not installed (make install)"
    return None


@pytest.fixture(scope="session")
def spark_demo(tmp_path_factory: pytest.TempPathFactory) -> SparkDemo:
    reason = _missing_spark()
    if reason:
        pytest.skip(reason)
    simulator = pytest.importorskip("simulator")
    from orchestration import spark
    from orchestration.ingest import load_landing
    from orchestration.settings import Settings

    work = tmp_path_factory.mktemp("spark_demo")
    landing = work / "landing"
    simulator.generate(landing, scale=SCALE, seed=SEED)
    seconds: dict[str, float] = {}

    duckdb_path = work / "warehouse.duckdb"
    duck_env = {"REVOPS_TARGET": "duckdb", "REVOPS_DUCKDB_PATH": str(duckdb_path)}
    started = time.perf_counter()
    duckdb_loads = load_landing(
        Settings.from_env({**duck_env, "REVOPS_PROJECT_DIR": str(REPO)}), landing
    )
    seconds["duckdb_load"] = time.perf_counter() - started
    started = time.perf_counter()
    _dbt(
        BUILD,
        duck_env,
        work / "duckdb",
        as_of=AS_OF,
    )
    seconds["duckdb_dbt_build"] = time.perf_counter() - started

    spark_dir = work / "spark"
    demo = SparkDemo(work, duckdb_path, spark_dir, duckdb_loads, [], seconds)
    started = time.perf_counter()
    demo.spark_loads = load_landing(demo.spark_settings(), landing)
    spark.release()  # dbt's own Spark opens the same Derby metastore
    seconds["spark_load"] = time.perf_counter() - started
    started = time.perf_counter()
    _dbt(
        BUILD,
        {"REVOPS_TARGET": "spark", "REVOPS_SPARK_DIR": str(spark_dir)},
        work / "spark_dbt",
        as_of=AS_OF,
    )
    seconds["spark_dbt_build"] = time.perf_counter() - started
    print(f"\nspark demo timings (s): { {k: round(v, 1) for k, v in seconds.items()} }")
    return demo


@pytest.fixture(scope="session")
def spark_session(spark_demo: SparkDemo) -> Any:
    """The test process's Spark over the demo's metastore (after dbt has finished)."""
    from orchestration import spark

    session = spark.session(spark_demo.spark_settings())
    yield session
    spark.release()
