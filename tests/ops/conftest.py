"""Fixtures of the operations tests: a parsed dbt manifest, isolated settings, the demo build."""

from __future__ import annotations

from pathlib import Path

import pytest

from orchestration.settings import Settings
from tests.ops.demo_build import demo_build  # noqa: F401  (session fixture)


@pytest.fixture(scope="session")
def manifest() -> Path:
    """target/manifest.json, parsed once per session (dagster-dbt loads it, not dbt)."""
    from orchestration.dbt_project import prepare_manifest

    return prepare_manifest(Settings.from_env())


@pytest.fixture
def ops_settings(tmp_path: Path) -> Settings:
    """Settings pointing every path into a temporary folder."""
    return Settings.from_env().with_(
        duckdb_path=tmp_path / "warehouse.duckdb",
        landing_dir=tmp_path / "landing",
        reports_dir=tmp_path / "reports",
        as_of="2026-01-01T00:00:00+00:00",
    )
