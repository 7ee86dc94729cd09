"""Raw tables as Dagster assets: one subsettable multi-asset per source system.

Every table of the raw contract (the dbt source YAML) is an asset keyed by its
``meta.dagster.asset_key`` (``[raw_<system>, <table>]``) in group ``raw_<system>``, so the dbt
sources attach to them and the graph is one piece. One multi-asset per system keeps the number
of steps small (tables of a system share dlt runs); ``can_subset=True`` lets the UI materialize
any single table.

* A table with no landing file still gets a materialization, with ``status: missing`` in its
  metadata, rather than being skipped: a skipped output would skip every downstream dbt step in
  the same run, and optional tables (``opportunity_line_item``) are allowed to be absent.
* A table whose file cannot be loaded fails the step after the other tables of the system have
  loaded and been reported (``Failure`` without retries: the data will not fix itself).
* ``pool="duckdb_writer"``: DuckDB allows one writer process, so every step that writes it
  joins this concurrency pool; give the pool a limit of 1 in the Dagster instance
  (``concurrency: pools: default_limit: 1`` in dagster.yaml, or
  ``dagster instance concurrency set duckdb_writer 1``).
* A run started by the landing sensor loads exactly the files its request named (tag
  ``revops/landing_files``); any other file (still being written when the sensor looked, or
  changed since) is skipped for now with a warning, and its table is materialized with
  ``status: deferred`` (its raw table keeps what it had).
* The retry policy covers transient errors only, such as the DuckDB file being locked by
  another process for a moment (``WarehouseLockedError``).
"""

# No `from __future__ import annotations`: Dagster checks the `context` annotation at runtime.
from collections.abc import Iterator, Mapping
from pathlib import Path

from dagster import (
    AssetExecutionContext,
    AssetKey,
    AssetsDefinition,
    AssetSpec,
    Backoff,
    Failure,
    Jitter,
    MaterializeResult,
    MetadataValue,
    RetryPolicy,
    multi_asset,
)

from orchestration.console import CONSOLE
from orchestration.ingest import (
    IngestError,
    LoadError,
    LoadResult,
    Table,
    describe_unknown,
    find_files,
    load_contract,
)
from orchestration.ingest.contract import Contract
from orchestration.ingest.landing import (
    LANDING_FILES_TAG,
    Deferred,
    parse_file_state,
    requested_files,
)
from orchestration.ingest.runner import load_files, missing_result
from orchestration.pools import WRITER_POOL
from orchestration.resources import RevopsResource
from orchestration.settings import Settings

RETRY_POLICY = RetryPolicy(
    max_retries=3, delay=10, backoff=Backoff.EXPONENTIAL, jitter=Jitter.PLUS_MINUS
)


def result_metadata(result: LoadResult) -> dict[str, MetadataValue]:
    """Materialization metadata of one load."""
    if result.status == "missing":
        return {
            "status": MetadataValue.text("missing"),
            "note": MetadataValue.text("no landing file for this table: nothing loaded"),
        }
    if result.status == "deferred":
        return {
            "status": MetadataValue.text("deferred"),
            "file": MetadataValue.path(result.file),
            "note": MetadataValue.text(result.note),
        }
    return {
        "status": MetadataValue.text(result.status),
        "file": MetadataValue.path(result.file),
        "rows_in_file": MetadataValue.int(result.rows_in_file),
        "rows_loaded": MetadataValue.int(result.rows_loaded),
        "rows_quarantined": MetadataValue.int(result.rows_quarantined),
        "rows_superseded": MetadataValue.int(result.rows_superseded),
        "new_columns": MetadataValue.json(list(result.new_columns)),
        "missing_columns": MetadataValue.json(list(result.missing_columns)),
        "duration_s": MetadataValue.float(float(result.duration_s)),
        "load_id": MetadataValue.text(result.load_id),
        "dagster/row_count": MetadataValue.int(result.rows_loaded),
    }


def _spec(table: Table) -> AssetSpec:
    return AssetSpec(
        key=AssetKey(list(table.asset_key)),
        group_name=f"raw_{table.system}",
        description=table.description or None,
        kinds={"dlt"},
        metadata={
            "primary_key": MetadataValue.json(list(table.primary_key)),
            "required_columns": MetadataValue.json(list(table.required_columns)),
            "contract": MetadataValue.path(table.source_file),
        },
    )


def _system_asset(contract: Contract, system: str) -> AssetsDefinition:
    tables = {table.asset_key: table for table in contract.tables_of(system)}

    @multi_asset(
        name=f"ingest_raw_{system}",
        specs=[_spec(t) for t in tables.values()],
        can_subset=True,
        pool=WRITER_POOL,
        retry_policy=RETRY_POLICY,
        description=f"Load the {system} landing files into raw_{system} with dlt.",
    )
    def _ingest(
        context: AssetExecutionContext, revops: RevopsResource
    ) -> Iterator[MaterializeResult]:
        settings: Settings = revops.settings()
        landing = settings.landing_dir
        if not landing.is_dir():
            raise Failure(
                description=f"landing folder {landing} does not exist (REVOPS_LANDING_DIR)",
                allow_retries=False,
            )
        selected = {tuple(key.path) for key in context.selected_asset_keys}
        try:
            found, absent, unknown = find_files(landing, contract, [system])
        except IngestError as exc:  # e.g. both a .csv and a .jsonl file for one table
            raise Failure(description=str(exc), allow_retries=False) from exc
        for path in unknown:
            context.log.warning(describe_unknown(path, contract))
        files = [(t, p) for t, p in found if t.asset_key in selected]
        files, deferred = files_of_request(files, context.run.tags)
        for item in deferred:
            context.log.warning(item.describe(), extra=CONSOLE)
        results, failures = load_files(settings, files, progress=context.log.info)
        results += [missing_result(t) for t in absent if t.asset_key in selected]
        results += [deferred_result(item) for item in deferred]
        for line in console_lines(system, results):
            context.log.info(line, extra=CONSOLE)
        for result in results:
            table = next(t for t in tables.values() if t.name == result.table)
            yield MaterializeResult(
                asset_key=AssetKey(list(table.asset_key)), metadata=result_metadata(result)
            )
        if failures:
            error = LoadError(failures, results)
            raise Failure(
                description=str(error),
                allow_retries=False,
                metadata={"failed_files": MetadataValue.json([f.file for f in failures])},
            )

    return _ingest


def files_of_request(
    files: list[tuple[Table, Path]], run_tags: Mapping[str, str]
) -> tuple[list[tuple[Table, Path]], list[Deferred]]:
    """The files this run loads, and those it leaves for later.

    A run whose tags name the landing files (the landing sensor's) loads exactly those,
    unchanged; every other run loads every file found.
    """
    requested = parse_file_state(run_tags.get(LANDING_FILES_TAG))
    if requested is None:
        return files, []
    return requested_files(files, requested)


def deferred_result(item: Deferred) -> LoadResult:
    """The report of a table whose file this run leaves for a later one."""
    return LoadResult.not_loaded(
        item.table.system, item.table.name, "deferred", file=str(item.path), note=item.reason
    )


def console_lines(system: str, results: list[LoadResult]) -> list[str]:
    """What the CLI prints of a system's load: a total, and a line per table with news.

    A table's own line (its summary: rows in, loaded, quarantined with reasons, columns) is
    printed when rows were quarantined or superseded by a later line with the same key, or
    contract columns are missing; every table's line is
    in the run's log file and in its materialization in the Dagster UI.
    """
    loaded = [r for r in results if r.status == "loaded"]
    if not loaded:
        return []
    rows_in = sum(r.rows_in_file for r in loaded)
    total = (
        f"{system}: {len(loaded)} table(s), {rows_in:,} rows in the files, "
        f"{sum(r.rows_loaded for r in loaded):,} loaded, "
        f"{sum(r.rows_quarantined for r in loaded):,} quarantined"
    )
    news = [
        r.summary() for r in loaded if r.rows_quarantined or r.missing_columns or r.rows_superseded
    ]
    return [total, *(f"  {line}" for line in news)]


def build_ingest_assets(settings: Settings | None = None) -> list[AssetsDefinition]:
    """One multi-asset per system of the raw contract (read from the dbt source YAML)."""
    settings = settings or Settings.from_env()
    contract = load_contract(settings.project_dir)
    return [_system_asset(contract, system) for system in contract.systems]
