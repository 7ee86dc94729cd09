"""dbt models, seeds and snapshots as Dagster assets; dbt tests as asset checks.

Two dbt steps (the split lets blocking quality checks on the core marts run in between):

- ``revops_dbt_core``: staging to core marts. A run may carry a window, the run tag
  ``revops/window=<start>..<end>`` (ISO dates, start inclusive, end exclusive: the schedule
  tags the day that ended, an operator tags a range to reprocess); dbt then gets
  ``--vars '{"min_date": "<start>", "max_date": "<end>"}'`` and the incremental journey fact
  rebuilds the events that occurred in it (besides the rows synced since its high-water mark).
  Without a window (``revops run``, the landing sensor) the journey takes every new row since
  its high-water mark (``lookback_days``); views and tables are rebuilt whole either way.
- ``revops_dbt_kpis``: the KPI marts (``tag:kpi``): they aggregate all history.

Both steps pass the run's as_of (``RevopsResource.run_as_of``: the run's ``revops/as_of`` tag)
as the dbt var ``as_of``, with the window when there is one, through
``orchestration.run_settings.dbt_vars_args``: every model of a run shares one "now".

Why no Dagster partitions: every build replaces each table whole (only the journey fact is
incremental, and it takes every new row whatever its day), so no table is divided into days
that are built or missing on their own. Daily partitions made the UI say "0% filled, 701
partitions" right after a full build, because a run can only record the one partition it was
launched for; recording every day instead writes one materialization per model and day. The
window the partitions gave the schedule and backfills is a run tag now, and the UI shows each
model's last materialization, which is the truth.
"""

# No `from __future__ import annotations`: Dagster checks the `context` annotation at runtime.
import json
from collections.abc import Iterator, Mapping
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from dagster import (
    AssetExecutionContext,
    AssetKey,
    AssetSpec,
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
from orchestration.pools import WRITER_POOL
from orchestration.resources import RevopsResource
from orchestration.run_settings import dbt_vars_args

FULL_REFRESH_TAG = "revops/full_refresh"
# "<start>..<end>" (ISO dates, end exclusive): the days the incremental models rebuild.
WINDOW_TAG = "revops/window"
KPI_SELECT = "tag:kpi"
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


def window_tag(start: date, end: date) -> dict[str, str]:
    """The run tag asking the incremental models to rebuild the days [start, end)."""
    return {WINDOW_TAG: f"{start.isoformat()}..{end.isoformat()}"}


def window_from_tags(tags: Mapping[str, str]) -> dict[str, str]:
    """The dbt vars of a run's window (``min_date``, ``max_date``), or none.

    No tag (or ``all``): no window. A full refresh never gets one: it rebuilds incremental
    models from every raw row. A malformed tag is an error naming it and the expected form.
    """
    text = (tags.get(WINDOW_TAG) or "").strip()
    if not text or text == "all" or tags.get(FULL_REFRESH_TAG) == "true":
        return {}
    first, sep, last = text.partition("..")
    try:
        start, end = date.fromisoformat(first.strip()), date.fromisoformat(last.strip())
    except ValueError:
        start = end = None
    if not sep or start is None or end is None or end <= start:
        raise ValueError(
            f"run tag {WINDOW_TAG}={text!r}: expected <start>..<end>, ISO dates with start "
            "before end (end exclusive), e.g. 2025-03-01..2025-03-03"
        )
    return window_vars(start, end)


def window_vars(start: date, end: date) -> dict[str, str]:
    """``min_date`` (inclusive) and ``max_date`` (exclusive) as ISO dates."""
    return {"min_date": start.isoformat(), "max_date": end.isoformat()}


def is_transient(error: BaseException) -> bool:
    """Whether a dbt failure looks like a lock or connection problem that a retry can fix."""
    text = str(error).lower()
    return any(marker in text for marker in TRANSIENT_MARKERS)


def dbt_build_args(
    run_tags: Mapping[str, str], as_of: datetime, window: Mapping[str, str] | None = None
) -> list[str]:
    """``dbt build`` without unit tests, with the full-refresh flag (run tag), and the run's
    as_of and window as vars."""
    args = ["build", *PRODUCTION_EXCLUDES]
    if run_tags.get(FULL_REFRESH_TAG) == "true":
        args.append("--full-refresh")
    return [*args, *dbt_vars_args(as_of, window)]


def _stream(
    context: AssetExecutionContext, dbt: DbtCliResource, revops: RevopsResource
) -> Iterator[Any]:
    settings = revops.settings()
    as_of = revops.run_as_of(context)
    try:
        window = window_from_tags(context.run.tags)
    except ValueError as exc:
        raise Failure(description=str(exc), allow_retries=False) from exc
    if window:
        context.log.info(f"dbt vars for this run's window: {window}")
    args = dbt_build_args(context.run.tags, as_of, window)
    if settings.target == "spark":  # dbt's Spark opens the metastore this process may hold
        from orchestration.spark import release

        release()
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
) -> Any:
    @dbt_assets(
        manifest=manifest,
        select=select,
        exclude=exclude,
        dagster_dbt_translator=TRANSLATOR,
        name=name,
        pool=WRITER_POOL,
        retry_policy=RetryPolicy(max_retries=2, delay=5),
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
    """dbt assets: the core step and the KPI step (when KPI models exist).

    The core/KPI split lets blocking quality checks on the core marts run between the two, so
    an error-severity disagreement stops the KPI marts from being published.
    """
    manifest = _manifest()
    if not _has_kpi_models(manifest):
        return [_make_dbt_op("revops_dbt_core", manifest, "fqn:*", None)]
    return [
        _make_dbt_op("revops_dbt_core", manifest, "fqn:*", KPI_SELECT),
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
