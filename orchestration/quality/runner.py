"""Run every check once: ``revops check`` and the Dagster asset checks both come through here.

For each check: fetch a DataFrame from the warehouse (the offending rows of a rule's dbt model,
the view quality.rule_<rule>, or the columns of a raw table a suite reads), validate it with its
GX suite, and turn the verdict into a CheckResult. The rows are masked as they are read
(orchestration/quality/masking.py): no raw email or name goes further. Then append the results
to the check history (quality.dq_check_results), replace the rules' offending rows
(quality.dq_offending_rows, orchestration/quality/offending.py) and write the check pages
(orchestration/quality/pages.py).
"""

from __future__ import annotations

import functools
import sys
import uuid
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

import pandas as pd

from orchestration.ingest.contract import load_contract
from orchestration.quality import history
from orchestration.quality.config import CheckConfig, ChecksConfig, load_config
from orchestration.quality.fetch import FetchError, fetch_table, quote, run_query
from orchestration.quality.findings import finding_line, offending_keys, rule_findings
from orchestration.quality.masking import mask_row, scrub
from orchestration.quality.models import SCHEMA, build_rule_models
from orchestration.quality.pages import check_url, write_pages
from orchestration.quality.relations import RawPresence, presence
from orchestration.quality.result import CheckResult, counts_line
from orchestration.quality.suites import (
    SuiteError,
    suite_columns,
    suite_for,
    without_columns,
)
from orchestration.quality.validation import ValidationOutcome, Validator
from orchestration.run_settings import resolve_as_of
from orchestration.settings import PROJECT_DIR, Settings
from orchestration.warehouse import connect


def select_checks(config: ChecksConfig, names: Iterable[str] | None) -> list[CheckConfig]:
    """The checks to run (all by default); an unknown name is an error listing the known ones."""
    if names is None:
        return list(config.checks)
    return [config.get(n) for n in names]


def sample_records(frame: pd.DataFrame, limit: int | None = None) -> list[dict[str, Any]]:
    """The first rows (all: None) of a frame as JSON-friendly dicts (timestamps as ISO text,
    NaN as None), masked: personal columns and emails in any text (masking.mask_row)."""
    records: list[dict[str, Any]] = []
    rows = frame if limit is None else frame.head(limit)
    for row in rows.to_dict(orient="records"):
        clean: dict[str, Any] = {}
        for key, value in row.items():
            if value is None or (not isinstance(value, str | bytes) and pd.isna(value) is True):
                clean[str(key)] = None
            elif isinstance(value, bool | int | float | str):
                clean[str(key)] = value
            elif hasattr(value, "item"):
                clean[str(key)] = value.item()
            else:
                clean[str(key)] = str(value)
        records.append(mask_row(clean))
    return records


OFFENDING_ROWS = "offending_rows"


def offending_count(frame: pd.DataFrame) -> int:
    """Offending rows a rule returned: one per row, or the sum of an ``offending_rows`` column.

    Most rules return the offending rows themselves; a rule whose findings are counts (rows a
    table lost between raw and staging) returns one row per finding with ``offending_rows``.
    """
    if OFFENDING_ROWS in frame.columns:
        return int(pd.to_numeric(frame[OFFENDING_ROWS]).fillna(0).sum())
    return len(frame)


def stable_order(frame: pd.DataFrame) -> pd.DataFrame:
    """A rule's rows in one order every run (by every column, as text): a database returns a
    query without ``order by`` in any order, and the stored rows, the sample and
    ``revops check --rows --limit`` show the first ones."""
    if frame.empty:
        return frame
    ordered = frame.sort_values(
        by=list(frame.columns), key=lambda column: column.astype(str), kind="stable"
    )
    return ordered.reset_index(drop=True)


def not_applicable_reason(check: CheckConfig, raw: RawPresence) -> str | None:
    """Why a check has nothing to check here (its inputs are absent), or None."""
    if check.kind == "suite":
        name = ".".join(check.table)
        if not raw.exists(name):
            return f"not applicable: {name} is absent from the warehouse (no such export)"
        return None
    absent = [group for group in check.requires if not any(raw.exists(n) for n in group)]
    if not absent:
        return None
    needs = "; ".join(" or ".join(group) for group in absent)
    return f"not applicable: it needs {needs}, absent from the warehouse (no such export)"


def _fetch(con: Any, check: CheckConfig, raw: RawPresence) -> tuple[pd.DataFrame, Any, list[str]]:
    """The frame a check validates, its suite, and notes on what could not be checked."""
    suite = suite_for(check)
    if check.kind == "rule":
        relation = f"{quote(SCHEMA)}.{quote(check.model)}"
        where = f"{check.name} ({SCHEMA}.{check.model})"
        return stable_order(run_query(con, f"select * from {relation}", where)), suite, []
    schema, table = check.table
    lacking = set(raw.missing_columns.get(f"{schema}.{table}", ()))
    notes = []
    if lacking & set(suite_columns(suite)):
        suite = without_columns(suite, lacking)
        notes = [
            f"column {c} is absent from {schema}.{table}: its expectations were not run"
            for c in sorted(lacking & set(suite_columns(suite_for(check))))
        ]
    columns = suite_columns(suite)
    # the primary key too, so a failure names its rows (quality/findings.py)
    columns += [c for c in _primary_key(schema, table) if c not in columns and c not in lacking]
    return fetch_table(con, schema, table, columns, check.name), suite, notes


@functools.lru_cache(maxsize=2)
def _primary_keys(project_dir: Path) -> dict[tuple[str, str], tuple[str, ...]]:
    """(schema, table) -> primary key, of every raw table of the contract."""
    return {(t.schema, t.name): t.primary_key for t in load_contract(project_dir).tables}


def _primary_key(schema: str, table: str) -> tuple[str, ...]:
    """The primary key of a raw table in the contract (empty for an unknown table)."""
    return _primary_keys(PROJECT_DIR).get((schema, table), ())


def _verdict(check: CheckConfig, **fields: Any) -> CheckResult:
    """A result of ``check``: its name, severity, threshold, kind, asset and description, with
    ``fields`` (the verdict) over them."""
    return CheckResult(
        **{
            "rule": check.name,
            "severity": check.severity,
            "threshold": check.threshold,
            "kind": check.kind,
            "asset": check.asset,
            "description": check.description,
            **fields,
        }
    )


def _not_applicable(check: CheckConfig, reason: str) -> CheckResult:
    return _verdict(
        check,
        success=True,
        observed_value=None,
        unexpected_count=None,
        description=reason,
        not_applicable=True,
    )


def _result(
    check: CheckConfig, frame: pd.DataFrame, outcome: ValidationOutcome, sample: int
) -> CheckResult:
    errors = [e for e in outcome.expectations if e.exception]
    if check.kind == "rule":
        count = offending_count(frame)
        rows = sample_records(frame)
        return _verdict(
            check,
            success=outcome.success and not errors,
            observed_value=count,
            unexpected_count=count,
            sample_rows=rows[:sample],
            offending_rows=rows,
            details=[e.describe() for e in outcome.failed],
            error=errors[0].describe() if errors else None,
            findings=[scrub(f) for f in rule_findings(frame)],  # a record id may be an email
        )
    failed = outcome.failed
    unexpected = sum(e.unexpected_count or 0 for e in failed)
    schema, table = check.table
    keys = _primary_key(schema, table)
    findings = [
        scrub(
            finding_line(
                f"{schema}.{table}",
                e.column,
                e.expectation,
                e.examples,
                offending_keys(frame, e.column, e.expectation, e.examples, keys)
                if e.column
                else [],
            )
        )
        for e in failed
        if not e.exception
    ]
    return _verdict(
        check,
        success=len(failed) <= check.threshold and not errors,
        observed_value=len(failed),
        unexpected_count=unexpected,
        sample_rows=[
            {
                "expectation": e.expectation,
                "column": e.column,
                "unexpected_count": e.unexpected_count,
                "examples": scrub(", ".join(str(x) for x in e.examples[:3])),
            }
            for e in failed[:sample]
        ],
        details=[e.describe() for e in failed],
        error=errors[0].describe() if errors else None,
        findings=findings,
    )


def _error_result(check: CheckConfig, message: str) -> CheckResult:
    return _verdict(
        check, success=False, observed_value=None, unexpected_count=None, error=scrub(message)
    )


def run_suites(
    settings: Settings,
    run_id: str | None = None,
    checks: Iterable[str] | None = None,
    config: ChecksConfig | None = None,
    write_history: bool = True,
    write_check_pages: bool = True,
    build_rules: bool = True,
    as_of: datetime | None = None,
) -> list[CheckResult]:
    """Run the checks (all by default) and return one result per check.

    ``as_of`` is the run's "now" (naive UTC, resolved once per run by the caller); without it,
    ``settings.as_of`` resolved here (orchestration.run_settings.resolve_as_of).
    ``build_rules``: first rebuild the dbt models of the applicable rules (dbt run with this
    as_of), so they judge it and the warehouse as it is (``revops check``); False when they were
    just built with the marts (the Dagster asset checks, after the dbt step) or by the caller.
    ``write_history``: append the verdicts to quality.dq_check_results and replace the rules'
    rows in quality.dq_offending_rows; ``write_check_pages``: write the check pages' files.
    A check that cannot run (missing table, model that does not build, SQL error) is a failed
    result carrying ``error``, never an exception, so one broken rule does not hide the others.
    """
    config = config or load_config()
    selected = select_checks(config, checks)
    run_id = run_id or uuid.uuid4().hex
    as_of = resolve_as_of(settings.as_of) if as_of is None else as_of
    validator = Validator(run_name=run_id)
    results: list[CheckResult] = []
    contract = load_contract(settings.project_dir)
    read_only = settings.target == "duckdb"
    with connect(settings, read_only=read_only) as con:
        raw = presence(con, contract)
    reasons = {check.name: not_applicable_reason(check, raw) for check in selected}
    rules = [c for c in selected if c.kind == "rule" and not reasons[c.name]]
    unbuilt = build_rule_models(settings, rules, as_of) if build_rules else {}
    with connect(settings, read_only=read_only) as con:
        for check in selected:
            reason = reasons[check.name]
            if reason:
                results.append(_not_applicable(check, reason))
                continue
            if check.name in unbuilt:
                results.append(_error_result(check, unbuilt[check.name]))
                continue
            try:
                frame, suite, notes = _fetch(con, check, raw)
            except (FetchError, SuiteError) as exc:
                results.append(_error_result(check, str(exc)))
                continue
            outcome = validator.validate(check, suite, frame)
            result = _result(check, frame, outcome, config.sample_rows)
            result.details = [*result.details, *notes]
            results.append(result)
    checked_at = datetime.now(UTC).replace(tzinfo=None)
    for result in results:
        result.page_url = check_url(settings.pages_url, result.rule)
    if write_history:
        history.append(settings, run_id, checked_at, results, data_as_of=as_of)
    if write_check_pages:
        write_pages(settings, results, run_id, checked_at, as_of)
    return results


def _cell(value: Any) -> str:
    return "-" if value is None else str(value)


def format_results(results: Sequence[CheckResult]) -> str:
    """A plain-text table: status, check, severity, observed, threshold, what it means."""
    header = ("status", "check", "severity", "observed", "threshold", "detail")
    rows = [
        (
            r.status,
            r.rule,
            r.severity,
            _cell(r.observed_value),
            str(r.threshold),
            r.error or (r.details[0] if r.details and r.kind == "suite" else r.description),
        )
        for r in results
    ]
    widths = [
        max(len(h), *(len(row[i]) for row in rows)) if rows else len(h)
        for i, h in enumerate(header[:-1])
    ]
    lines = []
    for row in [header, *rows]:
        cells = [c.ljust(w) for c, w in zip(row[:-1], widths, strict=True)]
        detail = row[-1] if len(row[-1]) <= 90 else row[-1][:87] + "..."
        lines.append("  ".join([*cells, detail]))
    lines.append(counts_line(r.status for r in results))
    if results and results[0].page_url:
        lines.append(
            f"check pages: {results[0].page_url.rsplit('/checks/', 1)[0]}/ (`revops serve`); "
            "a rule's offending rows: revops check --rows RULE"
        )
    return "\n".join(lines)


def print_results(results: Sequence[CheckResult], out: TextIO | None = None) -> None:
    """Print the results table (``revops check``)."""
    print(format_results(results), file=out or sys.stdout)
