"""The BI serving file and the Parquet export as a Dagster asset: ["serving", "marts_duckdb"].

It depends on every mart of the dbt project, so it runs at the end of a run (after the quality
checks that block the KPI marts), and it reads the warehouse in the ``duckdb_writer`` pool: a
DuckDB reader in one process conflicts with a writer in another. The refresh itself never
blocks BI readers of the served file (orchestration/serving.py). On the PostgreSQL target it
writes nothing and says so: BI tools read the database as a login in ``revops_bi``.

(No ``from __future__ import annotations``: Dagster inspects the real type of ``context``.)
"""

from dagster import (
    AssetExecutionContext,
    AssetKey,
    AssetsDefinition,
    MaterializeResult,
    MetadataValue,
    RetryPolicy,
    asset,
)

from orchestration.assets.dbt import dbt_marts
from orchestration.pools import WRITER_POOL
from orchestration.resources import RevopsResource
from orchestration.serving import refresh

SERVING_KEY = AssetKey(["serving", "marts_duckdb"])


def serving_deps() -> list[AssetKey]:
    """Every mart of the parsed dbt project (none without a manifest)."""
    return [AssetKey(["marts", name]) for name in sorted(dbt_marts() or ())]


def build_serving_assets() -> list[AssetsDefinition]:
    """The serving asset."""

    @asset(
        key=SERVING_KEY,
        group_name="serving",
        deps=serving_deps(),
        pool=WRITER_POOL,
        retry_policy=RetryPolicy(max_retries=2, delay=5),
        kinds={"duckdb", "parquet"},
        description="The public marts for BI tools: a PII-free DuckDB file readable by DuckDB "
        "1.x clients (marts.duckdb, replaced atomically) and a Parquet export with "
        "manifest.json. On PostgreSQL: the schema serving, every mart of this run swapped in "
        "whole in one transaction (BI tools log in as revops_bi).",
    )
    def marts_duckdb(context: AssetExecutionContext, revops: RevopsResource) -> MaterializeResult:
        result = refresh(revops.settings(), as_of=revops.run_as_of(context))
        if result.skipped:
            context.log.info(f"serving file skipped: {result.skipped}")
            return MaterializeResult(metadata={"skipped": result.skipped})
        if result.serving_file is None:  # PostgreSQL: the serving schema
            return MaterializeResult(
                metadata={
                    "schema": "serving",
                    "tables": len(result.tables),
                    "rows": sum(t.rows for t in result.tables),
                }
            )
        return MaterializeResult(
            metadata={
                "serving_file": MetadataValue.path(str(result.serving_file)),
                "parquet_dir": MetadataValue.path(str(result.parquet_dir)),
                "tables": len(result.tables),
                "rows": sum(t.rows for t in result.tables),
            }
        )

    return [marts_duckdb]
