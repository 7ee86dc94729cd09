"""Fixtures of the quality tests: tiny warehouses built from the raw contract."""

from __future__ import annotations

from pathlib import Path

import pytest

from orchestration.dbt_project import TARGET_ENV
from orchestration.settings import Settings
from tests.quality.contract import create_raw_tables
from tests.quality.demo import DemoWarehouse, build_demo

AS_OF = "2026-01-01T00:00:00"


@pytest.fixture(scope="session")
def rule_build_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the contract warehouses live and the runner's dbt keeps its target folder.

    dbt re-parses the whole project (about 15 s) when its profile changes, and the profile names
    the warehouse file: one stable path for every contract warehouse of this worker (each test
    gets a fresh file there) keeps the runner's rule builds on partial parsing.
    """
    return tmp_path_factory.mktemp("rule_builds")


@pytest.fixture
def contract_settings(
    tmp_path: Path, rule_build_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> Settings:
    """A fresh DuckDB warehouse holding every raw table of the contract, empty."""
    warehouse = rule_build_dir / "warehouse.duckdb"
    for stale in (warehouse, warehouse.with_suffix(".duckdb.wal")):
        stale.unlink(missing_ok=True)
    monkeypatch.setenv(TARGET_ENV, str(rule_build_dir / "target"))
    settings = Settings.from_env({}).with_(
        target="duckdb",
        duckdb_path=warehouse,
        reports_dir=tmp_path / "reports",
        as_of=AS_OF,
    )
    create_raw_tables(settings)
    return settings


@pytest.fixture(scope="session")
def dbt_work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("dbt")


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory, dbt_work: Path) -> DemoWarehouse:
    """The demo company (every rule broken on purpose), loaded and built: about a minute."""
    return build_demo(tmp_path_factory.mktemp("demo"), inconsistency_rate=1.0, dbt_work=dbt_work)


@pytest.fixture(scope="session")
def clean(tmp_path_factory: pytest.TempPathFactory, dbt_work: Path) -> DemoWarehouse:
    """A clean company (inconsistency rate 0), loaded and built."""
    return build_demo(
        tmp_path_factory.mktemp("clean"), inconsistency_rate=0.0, scale=0.03, dbt_work=dbt_work
    )
