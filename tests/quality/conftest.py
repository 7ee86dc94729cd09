"""Fixtures of the quality tests: tiny warehouses built from the raw contract."""

from __future__ import annotations

import shutil
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


def _fresh(warehouse: Path) -> None:
    for stale in (warehouse, Path(f"{warehouse}.wal")):
        stale.unlink(missing_ok=True)


def _contract_settings(warehouse: Path, reports: Path) -> Settings:
    return Settings.from_env({}).with_(
        target="duckdb", duckdb_path=warehouse, reports_dir=reports, as_of=AS_OF
    )


@pytest.fixture(scope="session")
def contract_template(rule_build_dir: Path) -> Path:
    """Every raw table of the contract, empty, with the models of the rules that read raw tables
    only already built (what the pipeline's dbt step does), made once per worker: a test copies
    it instead of paying a dbt run per warehouse. Built at the stable path, then set aside (a
    view names its catalog, the file's stem: the copy keeps it)."""
    from orchestration.quality.config import load_config
    from orchestration.quality.models import build_rule_models
    from tests.quality.test_postgres import raw_only_rules

    warehouse = rule_build_dir / "warehouse.duckdb"
    _fresh(warehouse)
    settings = _contract_settings(warehouse, rule_build_dir / "reports")
    create_raw_tables(settings)
    config = load_config()
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(TARGET_ENV, str(rule_build_dir / "target"))
        assert build_rule_models(settings, [config.get(r) for r in raw_only_rules()]) == {}
    template = rule_build_dir / "template" / warehouse.name
    template.parent.mkdir(exist_ok=True)
    warehouse.replace(template)
    return template


@pytest.fixture
def contract_settings(
    tmp_path: Path, rule_build_dir: Path, contract_template: Path, monkeypatch: pytest.MonkeyPatch
) -> Settings:
    """A fresh DuckDB warehouse holding every raw table of the contract, empty, and the views of
    the rules reading raw tables only (a test that changes which tables exist rebuilds them)."""
    warehouse = rule_build_dir / contract_template.name
    _fresh(warehouse)
    shutil.copyfile(contract_template, warehouse)
    monkeypatch.setenv(TARGET_ENV, str(rule_build_dir / "target"))
    return _contract_settings(warehouse, tmp_path / "reports")


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
