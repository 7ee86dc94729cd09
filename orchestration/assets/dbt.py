"""dbt models, seeds and snapshots as Dagster assets; dbt tests as asset checks."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from dagster import AssetExecutionContext, AssetKey, RetryPolicy
from dagster_dbt import (
    DagsterDbtTranslator,
    DagsterDbtTranslatorSettings,
    DbtCliResource,
    dbt_assets,
)

from orchestration.dbt_project import dbt_env, dbt_executable, dbt_project
from orchestration.resources import RevopsResource


class RevopsTranslator(DagsterDbtTranslator):
    """Model keys are [schema, name] (marts/fct_customer_journey) and groups are schemas.

    Sources keep the asset key declared in their ``meta.dagster.asset_key`` (the ingestion
    assets), so the graph is one piece from raw files to marts.
    """

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            return super().get_asset_key(dbt_resource_props)
        schema = dbt_resource_props.get("config", {}).get("schema") or "marts"
        return AssetKey([schema, dbt_resource_props["name"]])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        return dbt_resource_props.get("config", {}).get("schema") or "marts"


FULL_REFRESH_TAG = "revops/full_refresh"
TRANSLATOR = RevopsTranslator(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True))


KPI_SELECT = "tag:kpi"


def _has_kpi_models(manifest_path: Path) -> bool:
    manifest = json.loads(manifest_path.read_text())
    return any(
        "kpi" in node.get("tags", []) and node["resource_type"] == "model"
        for node in manifest["nodes"].values()
    )


def _make_dbt_op(name: str, manifest: Path, select: str, exclude: str | None) -> Any:
    @dbt_assets(
        manifest=manifest,
        select=select,
        exclude=exclude,
        dagster_dbt_translator=TRANSLATOR,
        name=name,
        pool="duckdb_writer",
        retry_policy=RetryPolicy(max_retries=1, delay=5),
    )
    def _op(context: AssetExecutionContext, dbt: DbtCliResource, revops: RevopsResource) -> Any:
        settings = revops.settings()
        args = ["build"]
        if context.has_tag(FULL_REFRESH_TAG):
            args.append("--full-refresh")
        with dbt_env(settings):
            yield from dbt.cli(args, context=context).stream()

    return _op


def build_dbt_assets() -> list[Any]:
    """dbt assets in two steps: the core (staging to core marts) and the KPI marts.

    The split lets blocking quality checks on the core marts run between the two, so an
    error-severity disagreement stops the KPI marts from being published.
    """
    project = dbt_project()
    project.prepare_if_dev()
    manifest = project.manifest_path
    if not manifest.exists():
        raise FileNotFoundError(
            f"{manifest} is missing: run `dbt parse --project-dir . --profiles-dir .` "
            "(the revops CLI and `make ui` do this for you)"
        )
    if not _has_kpi_models(manifest):
        return [_make_dbt_op("revops_dbt_core", manifest, "fqn:*", None)]
    return [
        _make_dbt_op("revops_dbt_core", manifest, "fqn:*", KPI_SELECT),
        _make_dbt_op("revops_dbt_kpis", manifest, KPI_SELECT, None),
    ]


def dbt_resource() -> DbtCliResource:
    """The dbt CLI resource; the target comes from REVOPS_TARGET through profiles.yml."""
    return DbtCliResource(project_dir=dbt_project(), dbt_executable=dbt_executable())
