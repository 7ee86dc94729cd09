"""Reconstructable jobs for ``dagster.execute_job`` (re-execution needs a job Dagster can rebuild
from a module path, not an in-memory definition)."""

from __future__ import annotations

from pathlib import Path

from dagster import JobDefinition, build_reconstructable_job
from dagster._core.definitions.reconstruct import ReconstructableJob

from orchestration.settings import Settings
from tests.ops.defs_factory import build_ops_definitions

IN_PROCESS = {"execution": {"config": {"in_process": {}}}}


def ops_job(
    job_name: str,
    duckdb_path: str,
    landing_dir: str,
    reports_dir: str,
    as_of: str,
    serving_path: str = "",
) -> JobDefinition:
    """A job of the operations test definitions on the given paths (stand-in ingestion)."""
    settings = Settings.from_env().with_(
        duckdb_path=Path(duckdb_path),
        landing_dir=Path(landing_dir),
        reports_dir=Path(reports_dir),
        serving_path=Path(serving_path) if serving_path else None,
        as_of=as_of,
    )
    return build_ops_definitions(settings, ingest="stand_in", checks=False).resolve_job_def(
        job_name
    )


def reconstructable_ops_job(job_name: str, settings: Settings) -> ReconstructableJob:
    return build_reconstructable_job(
        "tests.ops.recon",
        "ops_job",
        reconstructable_kwargs={
            "job_name": job_name,
            "duckdb_path": str(settings.duckdb_path),
            "landing_dir": str(settings.landing_dir),
            "reports_dir": str(settings.reports_dir),
            "as_of": settings.as_of,
            "serving_path": str(settings.serving_path or ""),
        },
        reconstructor_working_directory=str(Path(__file__).resolve().parents[2]),
    )
