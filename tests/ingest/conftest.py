"""Fixtures for the ingestion tests: a DuckDB warehouse and a landing folder in tmp_path."""

from __future__ import annotations

from pathlib import Path

import pytest

from orchestration.settings import Settings


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """DuckDB target in tmp_path; the real raw contract of the repository."""
    return Settings().with_(
        duckdb_path=tmp_path / "warehouse.duckdb", landing_dir=tmp_path / "landing"
    )


@pytest.fixture
def landing(settings: Settings) -> Path:
    settings.landing_dir.mkdir(parents=True, exist_ok=True)
    return settings.landing_dir
