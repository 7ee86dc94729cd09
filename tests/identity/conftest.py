"""Fixtures: the hand-made company of company.py, loaded and built with dbt on DuckDB.

Built once per session: the landing CSVs, tests/journey/raw_loader.py into a DuckDB file, then
`dbt build` of the account marts and their parents (models, data tests; unit tests run with the
project's own `dbt build`), with its own target and log paths and a fixed as_of.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from orchestration.settings import Settings
from tests.dbt_cli import run_dbt
from tests.identity.company import AS_OF, Expected, write_company
from tests.journey.raw_loader import load
from tests.warehouse import ReadOnlyQueries

#: The marts the identity tests read, built with their parents.
SELECT = ["+dim_account", "+dim_identity_links"]
#: Models and data tests of SELECT (a test of a parent only when all its parents are built);
#: unit tests run with the project's own `dbt build`.
BUILD = [
    "build",
    "--exclude-resource-type",
    "unit_test",
    "--indirect-selection",
    "cautious",
    "--select",
    *SELECT,
]


@dataclass
class IdentityWarehouse(ReadOnlyQueries):
    """The built warehouse, its settings for the quality runner, and what to expect."""

    settings: Settings
    expected: Expected
    landing: Path

    def duckdb_file(self) -> Path:
        return self.settings.duckdb_path


def build_warehouse(
    settings: Settings, work: Path, landing: Path, expected: Expected
) -> IdentityWarehouse:
    """`dbt build` of BUILD on the warehouse ``settings`` name (its raw tables loaded), with
    target and logs under ``work``."""
    run_dbt(BUILD, settings.to_env(), work, as_of=settings.as_of)
    return IdentityWarehouse(settings, expected, landing)


@pytest.fixture(scope="session")
def identity_landing(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Expected]:
    landing = tmp_path_factory.mktemp("identity_landing")
    return landing, write_company(landing)


@pytest.fixture(scope="session")
def identity_warehouse(
    tmp_path_factory: pytest.TempPathFactory, identity_landing: tuple[Path, Expected]
) -> IdentityWarehouse:
    landing, expected = identity_landing
    work = tmp_path_factory.mktemp("identity")
    db_path = work / "warehouse.duckdb"  # the name of every test warehouse: one dbt parse
    load(landing, db_path, synced_at="2025-12-31T00:00:00Z")
    settings = Settings.from_env().with_(
        target="duckdb", duckdb_path=db_path, as_of=AS_OF, reports_dir=work / "reports"
    )
    return build_warehouse(settings, work, landing, expected)
