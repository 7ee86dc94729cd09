"""Load landing files into the raw schemas: read, type, upsert with dlt, quarantine the rest.

For every file: ``rows_in_file = rows_loaded + rows_quarantined`` (checked, not assumed). A file
that cannot be loaded at all (unreadable, empty without a header, a required column missing)
fails only its own table, before anything of it is written; the other tables still load.
Tables of one system are loaded in as few dlt runs as possible (one run costs ~0.3 s of fixed
overhead); if a shared run fails, its tables are retried one by one so the error lands on the
table that caused it.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from orchestration.ingest import dlt_load
from orchestration.ingest.casting import TypedBatch, cast_batch, cast_csv_fast
from orchestration.ingest.contract import Table, load_contract
from orchestration.ingest.landing import describe_unknown, file_stat, find_files
from orchestration.ingest.quarantine import Rejected, quarantine_load
from orchestration.ingest.reader import (
    count_lines,
    read_csv_exact,
    read_header,
    read_jsonl,
)
from orchestration.ingest.results import IngestError, LoadError, LoadResult, Progress, top_reasons
from orchestration.settings import SCHEMAS, Settings
from orchestration.warehouse import WarehouseLockedError, connect

BATCH_ROWS = 500_000  # tables of one system share a dlt run up to this many rows
PREPARE_THREADS = 2  # files read and typed at the same time


@dataclass
class Prepared:
    """A file read and typed, waiting for its dlt run."""

    table: Table
    path: Path
    typed: TypedBatch
    seconds: float

    def describe(self) -> str:
        kind = "exact parser" if self.typed.exact_path else "fast path"
        return (
            f"{self.table.qualified_name}: {self.typed.rows_in_file} rows in {self.path} "
            f"({kind}), {self.typed.rows_loaded} to load, {len(self.typed.rejects)} to quarantine"
        )


def _say(progress: Progress | None, message: str) -> None:
    if progress is not None:
        progress(message)


def _table_error(table: Table, path: Path, message: str) -> IngestError:
    return IngestError(message, system=table.system, table=table.name, file=str(path))


def _check_required(table: Table, path: Path, columns: list[str], rows: int) -> None:
    missing = [c for c in table.required_columns if c not in columns]
    if missing and (path.suffix == ".csv" or rows):
        what = "header" if path.suffix == ".csv" else "objects"
        raise _table_error(
            table,
            path,
            f"{path}: required column(s) {', '.join(missing)} of {table.qualified_name} "
            f"missing from the {what} (found: {', '.join(columns) or 'none'}); nothing of this "
            "file was loaded",
        )


def _check_unchanged(table: Table, path: Path, before: list[int]) -> None:
    """A file written to while it was read is not loaded: what was read may be half of it."""
    try:
        after = file_stat(path)
    except OSError:
        after = [-1, -1]
    if after != before:
        raise _table_error(
            table,
            path,
            f"{path}: the file changed while it was read (size {before[1]} -> {after[1]} "
            "bytes): it is still being written; nothing of it was loaded, run again once it "
            "is complete",
        )


def _read_and_type(table: Table, path: Path) -> TypedBatch:
    where = table.qualified_name
    if path.suffix == ".csv":
        columns = read_header(path, where)
        _check_required(table, path, columns, 0)
        typed = cast_csv_fast(path, columns, table, count_lines(path, where))
        if typed is not None:
            return typed
        raw = read_csv_exact(path, where)
    elif path.suffix == ".jsonl":
        raw = read_jsonl(path, where)
        _check_required(table, path, raw.columns, raw.data.num_rows)
    else:
        raise _table_error(table, path, f"{path}: unsupported file type")
    return cast_batch(raw, table)


def prepare(table: Table, path: Path, progress: Progress | None = None) -> Prepared:
    """Read and type one file; raises IngestError for file-level problems."""
    started = time.perf_counter()
    where = table.qualified_name
    try:
        before = file_stat(path)
        typed = _read_and_type(table, path)
    except IngestError:
        raise
    except Exception as exc:  # e.g. a DuckDB error while typing: name the file and table
        raise _table_error(
            table, path, f"{path}: reading {where} failed: {type(exc).__name__}: {exc}"
        ) from exc
    _check_unchanged(table, path, before)
    quarantined = len(typed.rejects)
    if typed.rows_loaded + quarantined != typed.rows_in_file:  # an internal bug, never silent
        raise _table_error(
            table,
            path,
            f"{path}: row accounting failed for {where}: {typed.rows_in_file} rows read, "
            f"{typed.rows_loaded} loaded + {quarantined} quarantined",
        )
    item = Prepared(table, path, typed, time.perf_counter() - started)
    _say(progress, item.describe())
    return item


def _result(item: Prepared, load_id: str, seconds: float) -> LoadResult:
    new = tuple(c.name for c in item.typed.columns if c.new)
    absent = tuple(c.name for c in item.typed.columns if c.source is None)
    return LoadResult(
        system=item.table.system,
        table=item.table.name,
        file=str(item.path),
        rows_in_file=item.typed.rows_in_file,
        rows_loaded=item.typed.rows_loaded,
        rows_quarantined=len(item.typed.rejects),
        new_columns=new,
        duration_s=round(item.seconds + seconds, 3),
        load_id=load_id,
        rows_superseded=item.typed.superseded,
        missing_columns=absent,
        quarantine_reasons=top_reasons(r.reason for r in item.typed.rejects),
    )


def missing_result(table: Table) -> LoadResult:
    """The report of a contract table with no landing file."""
    return LoadResult.not_loaded(table.system, table.name, "missing")


def _table_load(item: Prepared) -> dlt_load.TableLoad:
    return dlt_load.TableLoad(
        name=item.table.name,
        data=item.typed.data,
        columns=item.typed.columns,
        primary_key=item.table.primary_key,
    )


def _writer(settings: Settings) -> Any:
    """The module that writes batches: dlt (DuckDB, PostgreSQL) or pyspark (Spark)."""
    if settings.target == "spark":
        from orchestration.ingest import spark_load

        return spark_load
    return dlt_load


def _run_group(
    settings: Settings, group: list[Prepared], progress: Progress | None
) -> tuple[list[LoadResult], list[IngestError]]:
    """One dlt run for the data of ``group``, then one for its rejects."""
    system = group[0].table.system
    started = time.perf_counter()
    names = ", ".join(i.table.name for i in group)
    _say(progress, f"{system}: loading {names} with dlt into raw_{system}")
    writer = _writer(settings)
    try:
        with writer.warehouse(settings) as wh:
            load_id = writer.run(wh, f"raw_{system}", [_table_load(i) for i in group])
            rejected = [
                Rejected(i.table, i.path, i.typed.rejects) for i in group if i.typed.rejects
            ]
            quarantine = quarantine_load(rejected, load_id)
            if quarantine is not None:
                _say(progress, f"{system}: quarantining {quarantine.data.num_rows} rows")
                writer.run(wh, SCHEMAS["quarantine"], [quarantine])
    except WarehouseLockedError:
        raise
    except Exception as exc:
        if len(group) > 1:
            results: list[LoadResult] = []
            failures: list[IngestError] = []
            for item in group:
                res, fail = _run_group(settings, [item], progress)
                results += res
                failures += fail
            return results, failures
        item = group[0]
        return [], [
            IngestError(
                f"{item.path}: loading {item.table.qualified_name} into the warehouse failed: "
                f"{_root_cause(exc)}",
                system=item.table.system,
                table=item.table.name,
                file=str(item.path),
            )
        ]
    seconds = time.perf_counter() - started
    results = [_result(item, load_id, seconds) for item in group]
    for res in results:
        _say(progress, res.summary())
    return results, []


def _root_cause(exc: BaseException) -> str:
    """The innermost error message (dlt wraps the database's error several times)."""
    inner: BaseException = exc
    while inner.__cause__ is not None or (
        inner.__context__ is not None and not inner.__suppress_context__
    ):
        inner = inner.__cause__ or inner.__context__  # type: ignore[assignment]
    return f"{type(inner).__name__}: {inner}" if inner is not exc else str(exc)


def load_files(
    settings: Settings,
    files: Iterable[tuple[Table, Path]],
    progress: Progress | None = None,
) -> tuple[list[LoadResult], list[IngestError]]:
    """Load each (table, file); returns the results and the per-table failures.

    Raises only for the warehouse as a whole, before reading any file:
    ``WarehouseLockedError`` (another process writes the DuckDB file) or a connection error.
    """
    with connect(settings):  # fail fast: a locked DuckDB file, an unreachable server
        pass
    results: list[LoadResult] = []
    failures: list[IngestError] = []
    group: list[Prepared] = []
    rows = 0

    def flush() -> None:
        nonlocal group, rows
        if group:
            res, fail = _run_group(settings, group, progress)
            results.extend(res)
            failures.extend(fail)
        group, rows = [], 0

    def failed(table: Table, path: Path, exc: Exception) -> None:
        if isinstance(exc, IngestError):
            error = exc
            error.system, error.table, error.file = table.system, table.name, str(path)
        else:  # an unexpected error still names the file and table
            error = _table_error(
                table,
                path,
                f"{path}: reading {table.qualified_name} failed: {type(exc).__name__}: {exc}",
            )
        _say(progress, f"{table.qualified_name}: FAILED: {error}")
        failures.append(error)

    items = [(table, Path(path)) for table, path in files]
    with ThreadPoolExecutor(max_workers=PREPARE_THREADS) as pool:
        # a small window of files is read and typed at once (DuckDB releases the GIL), so
        # small tables overlap while memory stays bounded by the window and the dlt batch
        for start in range(0, len(items), PREPARE_THREADS):
            window = items[start : start + PREPARE_THREADS]
            futures = [pool.submit(prepare, table, path) for table, path in window]
            for (table, path), future in zip(window, futures, strict=True):
                try:
                    item = future.result()
                except Exception as exc:
                    failed(table, path, exc)
                    continue
                _say(progress, item.describe())  # progress is only called from this thread
                if group and group[0].table.system != table.system:
                    flush()
                group.append(item)
                rows += item.typed.rows_in_file
                if rows >= BATCH_ROWS:
                    flush()
    flush()
    return results, failures


def load_table(
    settings: Settings,
    system: str,
    table: str,
    path: str | Path,
    progress: Progress | None = None,
) -> LoadResult:
    """Load one file into ``raw_<system>.<table>``; raises IngestError if it cannot."""
    contract_table = load_contract(settings.project_dir).get(system, table)
    results, failures = load_files(settings, [(contract_table, Path(path))], progress)
    if failures:
        raise failures[0]
    return results[0]


def load_landing(
    settings: Settings,
    landing_dir: str | Path | None = None,
    systems: Sequence[str] | None = None,
    progress: Progress | None = None,
) -> list[LoadResult]:
    """Load every ``<landing>/<system>/<table>.csv|jsonl`` the contract knows.

    Tables without a file are reported (status ``missing``) and skipped. Failed tables do not
    stop the others: one LoadError naming every failed file is raised after the rest loaded.
    """
    landing = Path(landing_dir) if landing_dir is not None else settings.landing_dir
    if not landing.is_dir():
        raise IngestError(
            f"landing folder {landing} does not exist: expected <system>/<table>.csv|jsonl "
            "files (set REVOPS_LANDING_DIR or generate demo data)"
        )
    contract = load_contract(settings.project_dir)
    unknown_systems = sorted(set(systems or ()) - set(contract.systems))
    if unknown_systems:
        raise IngestError(
            f"unknown system(s) {', '.join(unknown_systems)}: the contract has "
            f"{', '.join(contract.systems)}"
        )
    found, absent, unknown = find_files(landing, contract, systems)
    for path in unknown:
        _say(progress, describe_unknown(path, contract))
    if not found:
        expected = ", ".join(f"{s}/" for s in (systems or contract.systems))
        raise IngestError(
            f"landing folder {landing} contains no recognised files: expected "
            f"<system>/<table>.csv or .jsonl under {expected}"
        )
    results, failures = load_files(settings, found, progress)
    for table in absent:
        _say(progress, f"{table.qualified_name}: no landing file, skipped")
        results.append(missing_result(table))
    if failures:
        raise LoadError(failures, results)
    return results
