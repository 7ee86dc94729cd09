"""The Python steps' Spark (orchestration/spark.py) runs with the Spark settings of dbt's.

dbt's Spark reads profiles.yml's ``spark`` output (``server_side_parameters``); the loader and
the checks start their own session from ``spark_conf``. Both open the same metastore and tables,
and a setting in one only (adaptive execution, code generation, shuffle partitions) would make
the same query plan differently in the two: each is rendered here as dbt renders it
(``env_var`` with its default) and compared, for a local session and for a cluster.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2
import pytest
import yaml

from orchestration.settings import Settings
from orchestration.spark import spark_conf
from tests.dbt_cli import REPO


def _profile_parameters(env: dict[str, str]) -> dict[str, str]:
    def env_var(name: str, default: str | None = None) -> str:
        if name in env:
            return env[name]
        if default is None:
            raise KeyError(name)
        return default

    jinja = jinja2.Environment(undefined=jinja2.StrictUndefined)
    jinja.filters["as_number"] = lambda value: value
    profile: Any = yaml.safe_load((REPO / "profiles.yml").read_text())
    raw = next(iter(profile.values()))["outputs"]["spark"]["server_side_parameters"]
    return {
        key: jinja.from_string(str(value)).render(env_var=env_var) for key, value in raw.items()
    }


@pytest.fixture
def spark_settings(tmp_path: Path) -> Settings:
    return Settings.from_env(
        {
            "REVOPS_TARGET": "spark",
            "REVOPS_SPARK_DIR": str(tmp_path),
            "REVOPS_PROJECT_DIR": str(REPO),
        }
    )


@pytest.mark.parametrize(
    "env",
    [
        {},
        {"REVOPS_SPARK_METHOD": "thrift"},
        {
            "REVOPS_SPARK_ADAPTIVE": "true",
            "REVOPS_SPARK_CODEGEN": "true",
            "REVOPS_SPARK_SHUFFLE_PARTITIONS": "16",
        },
    ],
    ids=["local session", "cluster", "overridden"],
)
def test_python_steps_use_dbt_spark_settings(env: dict[str, str], tmp_path: Path) -> None:
    env = {"REVOPS_SPARK_DIR": str(tmp_path / "spark"), **env}
    settings = Settings.from_env({"REVOPS_TARGET": "spark", "REVOPS_PROJECT_DIR": str(REPO), **env})
    profile = _profile_parameters(env)
    python_steps = spark_conf(settings, env)
    # paths: profiles.yml names them relative to REVOPS_SPARK_DIR as given, spark_conf resolves
    for key in ("spark.sql.warehouse.dir", "spark.hadoop.javax.jdo.option.ConnectionURL"):
        assert Path(profile.pop(key).split("databaseName=")[-1].split(";")[0]) == Path(
            python_steps.pop(key).split("databaseName=")[-1].split(";")[0]
        )
    assert profile == python_steps


@pytest.mark.parametrize("key", ["spark.sql.adaptive.enabled", "spark.sql.codegen.wholeStage"])
def test_small_data_settings_are_off_locally_and_on_for_a_cluster(
    spark_settings: Settings, key: str
) -> None:
    """Adaptive execution and whole-stage code generation cost more than they save on a local
    session's small data (docs/spark.md); a cluster keeps Spark's defaults."""
    assert spark_conf(spark_settings, {})[key] == "false"
    assert spark_conf(spark_settings, {"REVOPS_SPARK_METHOD": "http"})[key] == "true"


def test_the_local_jvm_gets_a_deep_stack(spark_settings: Settings) -> None:
    """Without code generation a deep plan (the Markov chain's 32 squarings) is a deep recursion
    when Spark turns it into RDDs: `-Xss256k` overflows on fct_attribution_channel_effects, and
    the default 1 MB did once on a busy machine (docs/spark.md)."""
    options = spark_conf(spark_settings, {})["spark.driver.extraJavaOptions"].split()
    stack = [o.removeprefix("-Xss") for o in options if o.startswith("-Xss")]
    assert stack and stack[-1].endswith("m") and int(stack[-1][:-1]) >= 16, options
    assert _profile_parameters({})["spark.driver.extraJavaOptions"] == " ".join(options)
