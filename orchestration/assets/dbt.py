"""dbt models, seeds and snapshots as Dagster assets; dbt tests as asset checks.

Two dbt steps (the split lets blocking quality checks on the core marts run in between):

- ``revops_dbt_core``: staging to core marts, daily-partitioned. A run for a partition (the
  schedule) or a partition range (a backfill: ONE run, single-run backfill policy) passes the
  window to dbt as ``--vars '{"min_date": "<start>", "max_date": "<end>"}'`` (ISO dates, start
  inclusive, end exclusive); the incremental journey fact rebuilds the events that occurred
  in it (besides the rows synced since its high-water mark), views and tables are rebuilt
  whole and ignore it. A catch-up run (``revops run``, the landing sensor) is for the latest
  partition and tagged ``revops/window=all``: it passes no window, so the journey uses its own
  high-water mark (``lookback_days``) and takes every new row whatever its date.
- ``revops_dbt_kpis``: the KPI marts (``tag:kpi``), unpartitioned: they aggregate all history.

Both steps pass the run's as_of (``RevopsResource.run_as_of``: the run's ``revops/as_of`` tag)
as the dbt var ``as_of``, with the window when there is one, through
``orchestration.run_settings.dbt_vars_args``: every model of a run shares one "now".

Why the whole core step is partitioned and not only the incremental model: the journey fact
sits in the middle of the DAG (dims and KPI marts read it), so a separate incremental step
would cut the core into pieces, and dbt relationship tests spanning the pieces would run before
both of their tables exist. One core step keeps every core model and test in one ``dbt build``.

Why catch-up runs name a partition at all: Dagster cannot record the result of an asset check
on a partitioned asset in a run without a partition ("Cannot access partition_key for a
non-partitioned run"), and a run over the whole partition range writes one materialization
per asset and day (tens of thousands of events). See ``orchestration.jobs.catch_up_run``.
"""

# No `from __future__ import annotations`: Dagster checks the `context` annotation at runtime.
import json
from collections.abc import Iterator, Mapping
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from dagster import (
    AssetExecutionContext,
    AssetKey,
    AssetSpec,
    BackfillPolicy,
    DailyPartitionsDefinition,
    Failure,
    FreshnessPolicy,
    RetryPolicy,
)
from dagster_dbt import (
    DagsterDbtTranslator,
    DagsterDbtTranslatorSettings,
    DbtCliResource,
    dbt_assets,
)
from dagster_dbt.errors import DagsterDbtCliRuntimeError

from orchestration.dbt_project import dbt_env, dbt_executable, dbt_project
from orchestration.resources import RevopsResource
from orchestration.run_settings import dbt_vars_args

FULL_REFRESH_TAG = "revops/full_refresh"
# "all": a catch-up run; the partition only satisfies Dagster, dbt gets no window.
WINDOW_TAG = "revops/window"
KPI_SELECT = "tag:kpi"
PARTITIONS_START = "2025-01-01"
WRITER_POOL = "duckdb_writer"
# dbt unit tests check SQL logic against fixed inputs: they belong to development and CI
# (`dbt build`, `make test`), not to every scheduled run on unchanged code (dbt's own advice).
PRODUCTION_EXCLUDES = ("--exclude-resource-type", "unit_test")

# Errors worth a retry: another process holds the DuckDB file, or the server dropped us.
TRANSIENT_MARKERS = (
    "could not set lock",
    "conflicting lock",
    "database is locked",
    "warehouselockederror",
    "connection refused",
    "could not connect",
    "server closed the connection",
    "connection reset",
    "timeout expired",
)


def daily_partitions() -> DailyPartitionsDefinition:
    """The daily partitions of the incremental step (UTC days from 2025-01-01)."""
    return DailyPartitionsDefinition(start_date=PARTITIONS_START, timezone="UTC")


def mart_freshness() -> FreshnessPolicy:
    """Marts are rebuilt daily: warn after a missed day, fail after two."""
    return FreshnessPolicy.time_window(
        fail_window=timedelta(hours=49), warn_window=timedelta(hours=25)
    )


class RevopsTranslator(DagsterDbtTranslator):
    """Model keys are [schema, name] (marts/fct_customer_journey) and groups are schemas.

    Sources keep the asset key declared in their ``meta.dagster.asset_key`` (the ingestion
    assets), so the graph is one piece from raw files to marts. Marts carry a freshness policy
    so the UI flags them when the daily run did not happen.
    """

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            return super().get_asset_key(dbt_resource_props)
        schema = dbt_resource_props.get("config", {}).get("schema") or "marts"
        return AssetKey([schema, dbt_resource_props["name"]])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        return dbt_resource_props.get("config", {}).get("schema") or "marts"

    def get_asset_spec(
        self, manifest: Mapping[str, Any], unique_id: str, project: Any
    ) -> AssetSpec:
        spec = super().get_asset_spec(manifest, unique_id, project)
        if spec.group_name == "marts" and not unique_id.startswith("source."):
            return spec.replace_attributes(freshness_policy=mart_freshness())
        return spec


TRANSLATOR = RevopsTranslator(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True))


def _models(manifest_path: Path) -> list[dict[str, Any]]:
    manifest = json.loads(manifest_path.read_text())
    return [n for n in manifest["nodes"].values() if n["resource_type"] == "model"]


def _has_kpi_models(manifest_path: Path) -> bool:
    return any("kpi" in n.get("tags", []) for n in _models(manifest_path))


def partition_vars(context: AssetExecutionContext) -> dict[str, str]:
    """The dbt vars of a run: its partition window, or nothing for catch-up/unpartitioned runs.

    A full refresh never gets a window: it rebuilds incremental models from every raw row.
    """
    tags = context.run.tags
    if tags.get(WINDOW_TAG) == "all" or tags.get(FULL_REFRESH_TAG) == "true":
        return {}
    if not (context.has_partition_key or context.has_partition_key_range):
        return {}
    return window_vars(context.partition_time_window.start, context.partition_time_window.end)


def window_vars(start: datetime, end: datetime) -> dict[str, str]:
    """``min_date`` (inclusive) and ``max_date`` (exclusive) as ISO dates."""
    return {"min_date": start.date().isoformat(), "max_date": end.date().isoformat()}


def is_transient(error: BaseException) -> bool:
    """Whether a dbt failure looks like a lock or connection problem that a retry can fix."""
    text = str(error).lower()
    return any(marker in text for marker in TRANSIENT_MARKERS)


def dbt_build_args(
    run_tags: Mapping[str, str], as_of: datetime, window: Mapping[str, str] | None = None
) -> list[str]:
    """``dbt build`` without unit tests, with the full-refresh flag (run tag), and the run's
    as_of and partition window as vars."""
    args = ["build", *PRODUCTION_EXCLUDES]
    if run_tags.get(FULL_REFRESH_TAG) == "true":
        args.append("--full-refresh")
    return [*args, *dbt_vars_args(as_of, window)]


def _stream(
    context: AssetExecutionContext, dbt: DbtCliResource, revops: RevopsResource
) -> Iterator[Any]:
    settings = revops.settings()
    as_of = revops.run_as_of(context)
    window = partition_vars(context)
    if window:
        context.log.info(f"dbt vars for this partition window: {window}")
    args = dbt_build_args(context.run.tags, as_of, window)
    with dbt_env(settings):
        try:
            yield from dbt.cli(args, context=context).stream()
        except DagsterDbtCliRuntimeError as exc:
            if is_transient(exc):
                raise  # RetryPolicy retries it
            raise Failure(description=str(exc), allow_retries=False) from exc


def _make_dbt_op(
    name: str,
    manifest: Path,
    select: str,
    exclude: str | None,
    partitioned: bool = False,
) -> Any:
    @dbt_assets(
        manifest=manifest,
        select=select,
        exclude=exclude,
        dagster_dbt_translator=TRANSLATOR,
        name=name,
        pool=WRITER_POOL,
        retry_policy=RetryPolicy(max_retries=2, delay=5),
        partitions_def=daily_partitions() if partitioned else None,
        backfill_policy=BackfillPolicy.single_run() if partitioned else None,
    )
    def _op(context: AssetExecutionContext, dbt: DbtCliResource, revops: RevopsResource) -> Any:
        yield from _stream(context, dbt, revops)

    return _op


def _manifest() -> Path:
    project = dbt_project()
    project.prepare_if_dev()
    manifest = project.manifest_path
    if not manifest.exists():
        raise FileNotFoundError(
            f"{manifest} is missing: run `dbt parse --project-dir . --profiles-dir .` "
            "(the revops CLI and `make ui` do this for you)"
        )
    return manifest


def build_dbt_assets() -> list[Any]:
    """dbt assets: the daily-partitioned core step and the KPI step (when KPI models exist).

    The core/KPI split lets blocking quality checks on the core marts run between the two, so
    an error-severity disagreement stops the KPI marts from being published.
    """
    manifest = _manifest()
    if not _has_kpi_models(manifest):
        return [_make_dbt_op("revops_dbt_core", manifest, "fqn:*", None, partitioned=True)]
    return [
        _make_dbt_op("revops_dbt_core", manifest, "fqn:*", KPI_SELECT, partitioned=True),
        _make_dbt_op("revops_dbt_kpis", manifest, KPI_SELECT, None),
    ]


def dbt_resource() -> DbtCliResource:
    """The dbt CLI resource; the target comes from REVOPS_TARGET through profiles.yml."""
    return DbtCliResource(project_dir=dbt_project(), dbt_executable=dbt_executable())


def dbt_marts() -> set[str] | None:
    """Model names in the marts schema of the parsed dbt project (None without a manifest)."""
    manifest = dbt_project().manifest_path
    if not manifest.exists():
        return None
    nodes = json.loads(manifest.read_text())["nodes"].values()
    return {
        n["name"]
        for n in nodes
        if n["resource_type"] == "model" and (n.get("config", {}).get("schema") == "marts")
    }
