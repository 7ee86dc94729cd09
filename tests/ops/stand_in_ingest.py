"""A stand-in for the ingestion assets while orchestration/assets/ingest.py is being written.

Same asset keys ([raw_<system>, <table>]), groups (raw_<system>) and pool (duckdb_writer) as the
real assets; the loading itself is the journey tests' helper (tests/journey/raw_loader.py),
which creates every raw table of the contract, empty where the landing folder has no file.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from dagster import AssetKey, AssetSpec, MaterializeResult, multi_asset

from orchestration.resources import RevopsResource
from tests.journey.raw_loader import contract, load


def build_stand_in_ingest_assets() -> list[Any]:
    specs = [
        AssetSpec(AssetKey([f"raw_{system}", table]), group_name=f"raw_{system}", skippable=True)
        for system, tables in contract().items()
        for table in tables
    ]

    @multi_asset(specs=specs, name="stand_in_load_landing", pool="duckdb_writer", can_subset=True)
    def _load(context, revops: RevopsResource) -> Iterator[MaterializeResult]:
        settings = revops.settings()
        settings.duckdb_path.parent.mkdir(parents=True, exist_ok=True)
        counts = load(settings.landing_dir, settings.duckdb_path)
        for key in context.selected_asset_keys:
            system = key.path[0].removeprefix("raw_")
            rows = counts.get(f"{system}.{key.path[1]}", 0)
            yield MaterializeResult(asset_key=key, metadata={"rows_read": rows})

    return [_load]
