"""Fixtures of the quality tests: tiny warehouses built from the raw contract."""

from __future__ import annotations

from pathlib import Path

import pytest

from orchestration.settings import Settings
from tests.quality.contract import create_raw_tables

AS_OF = "2026-01-01T00:00:00"


@pytest.fixture
def contract_settings(tmp_path: Path) -> Settings:
    """A fresh DuckDB warehouse holding every raw table of the contract, empty."""
    settings = Settings.from_env({}).with_(
        target="duckdb",
        duckdb_path=tmp_path / "warehouse.duckdb",
        reports_dir=tmp_path / "reports",
        as_of=AS_OF,
    )
    create_raw_tables(settings)
    return settings
