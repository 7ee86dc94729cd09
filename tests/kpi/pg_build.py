"""The session's demo company built on PostgreSQL (shared by the parity and BI access tests).

The same generated company (the session's landing folder, ``kpi_warehouse``) is loaded into a
fresh database on the local server with the product loader and built with `dbt build`
(REVOPS_TARGET=postgres). Dropped at teardown.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.dbt_cli import REPO
from tests.dbt_cli import run_dbt as _dbt
from tests.pg import HOST, PASSWORD, PORT, USER, fresh_database

if TYPE_CHECKING:
    from tests.kpi.conftest import KpiWarehouse


@pytest.fixture(scope="session")
def kpi_pg_database() -> Iterator[str]:
    with fresh_database("revops_kpi") as name:
        yield name


@pytest.fixture(scope="session")
def kpi_pg_built(kpi_pg_database: str, kpi_warehouse: KpiWarehouse) -> str:
    from orchestration.ingest import load_landing
    from orchestration.settings import Settings

    env = pg_env(kpi_pg_database)
    load_landing(
        Settings.from_env({**env, "REVOPS_PROJECT_DIR": str(REPO)}),
        kpi_warehouse.work / "landing",
    )
    work = pg_work(kpi_warehouse)
    work.mkdir(exist_ok=True)
    _dbt(["build"], env, work, as_of=kpi_warehouse.as_of)
    return kpi_pg_database


def pg_env(database: str) -> dict[str, str]:
    """The dbt environment of the PostgreSQL build (as_of goes to dbt as --vars)."""
    return {
        "REVOPS_TARGET": "postgres",
        "REVOPS_PG_HOST": HOST,
        "REVOPS_PG_PORT": PORT,
        "REVOPS_PG_USER": USER,
        "REVOPS_PG_PASSWORD": PASSWORD,
        "REVOPS_PG_DATABASE": database,
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }


def pg_work(kpi_warehouse: KpiWarehouse) -> Path:
    """The dbt target/log folder of the PostgreSQL build (target/manifest.json is there)."""
    return kpi_warehouse.work / "postgres"
