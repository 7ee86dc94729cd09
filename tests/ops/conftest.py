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
    """Settings pointing every path into a temporary folder (the warehouse through the
    worker's link, parsed for: tests/parse_once.py)."""
    from orchestration.dbt_project import prepare_manifest
    from orchestration.run_settings import resolve_as_of
    from tests.parse_once import warehouse_link

    settings = Settings.from_env().with_(
        duckdb_path=warehouse_link(tmp_path / "warehouse.duckdb"),
        serving_path=tmp_path / "marts.duckdb",
        landing_dir=tmp_path / "landing",
        reports_dir=tmp_path / "reports",
        as_of="2026-01-01T00:00:00+00:00",
    )
    # the in-process dbt steps parse partially from the project's state: parse for this
    # profile and as_of once, as `revops run` does before a run
    prepare_manifest(settings, as_of=resolve_as_of(settings.as_of))
    return settings
