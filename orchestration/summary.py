"""The short summary printed at the end of a CLI run: what was built and what to do next."""

from __future__ import annotations

from typing import Any

from dagster import AssetCheckSeverity

from orchestration.console import metadata_value
from orchestration.coverage import describe, read_coverage
from orchestration.money import money_lines
from orchestration.settings import Settings
from orchestration.spark import location as spark_location
from orchestration.warehouse import connect


def mart_row_counts(settings: Settings) -> dict[str, int]:
    """Rows per table in the marts schema (empty when the schema does not exist yet)."""
    with connect(settings) as con:
        cur = con.cursor()
        cur.execute(
            "select table_name from information_schema.tables "
            "where table_schema = 'marts' order by table_name"
        )
        names = [r[0] for r in cur.fetchall()]
        counts = {}
        for name in names:
            cur.execute(f'select count(*) from marts."{name}"')
            counts[name] = int(cur.fetchone()[0])
    return counts


def _not_applicable(evaluation: Any) -> bool:
    status = evaluation.metadata.get("status")
    return status is not None and getattr(status, "value", status) == "not applicable"


def check_outcomes(result: Any) -> tuple[int, dict[str, int], list[str]]:
    """Passed checks, failed checks per severity (and "n/a": checks whose inputs are absent),
    and the failed names with their severity."""
    passed, failed, names = 0, {"error": 0, "warn": 0, "n/a": 0}, []
    for evaluation in result.get_asset_check_evaluations():
        if _not_applicable(evaluation):
            failed["n/a"] += 1
            continue
        if evaluation.passed:
            passed += 1
            continue
        severity = "warn" if evaluation.severity == AssetCheckSeverity.WARN else "error"
        failed[severity] += 1
        observed = metadata_value(evaluation.metadata, "observed_value")
        threshold = metadata_value(evaluation.metadata, "threshold")
        counts = "" if observed is None else f": {observed} offending (threshold {threshold})"
        where = metadata_value(evaluation.metadata, "first_finding")
        names.append(
            f"{evaluation.asset_key.to_user_string()}:{evaluation.check_name} ({severity}){counts}"
            + (f"; {where}" if where else "")
        )
    return passed, failed, names


def written_report(result: Any) -> str | None:
    """The HTML report this run wrote: None when its job has no report step or the step failed."""
    from orchestration.assets.report import REPORT_KEY

    for event in result.get_asset_materialization_events():
        materialization = event.event_specific_data.materialization
        if materialization.asset_key == REPORT_KEY:
            html = materialization.metadata.get("html")
            return str(html.value) if html is not None else None
    return None


def print_run_summary(settings: Settings, result: Any) -> None:
    """Rows per mart, checks passed/failed, where the warehouse is, how to open the UI."""
    print()
    print("=" * 72)
    print(f"run {result.run_id}: {'SUCCESS' if result.success else 'FAILED'}")
    failed_steps = [e.step_key for e in result.all_events if e.is_step_failure]
    for step in failed_steps:
        print(f"  failed step: {step}")
    try:
        counts = mart_row_counts(settings)
    except Exception as exc:  # the summary must not hide the run's own outcome
        print(f"  (could not read the marts: {exc})")
        counts = {}
    if counts:
        print("rows per mart:")
        width = max(len(n) for n in counts)
        cells = [f"{name:<{width}} {rows:>9,}" for name, rows in counts.items()]
        half = (len(cells) + 1) // 2  # two columns: the whole list stays on one screen
        right_column = cells[half:] + [""] * (half - len(cells[half:]))
        for left, right in zip(cells[:half], right_column, strict=True):
            print(f"  {left}    {right}".rstrip())
    try:
        for line in describe(read_coverage(settings)):
            print(line)
    except Exception as exc:  # the summary must not hide the run's own outcome
        print(f"  (could not read the data coverage: {exc})")
    try:
        for line in money_lines(settings):
            print(line)
    except Exception as exc:  # the summary must not hide the run's own outcome
        print(f"  (could not read the marts' currencies: {exc})")
    passed, failed, names = check_outcomes(result)
    print(
        f"checks: {passed} passed, {failed['error'] + failed['warn']} failed "
        f"({failed['error']} errors, {failed['warn']} warnings), "
        f"{failed['n/a']} not applicable (inputs absent)"
    )
    for name in names[:20]:
        print(f"  failed check: {name}")
    if len(names) > 20:
        print(f"  ... and {len(names) - 20} more")
    if names:
        print(
            "  their offending rows: revops check --rows RULE, or the check pages on "
            f"{settings.pages_url}/ (make ui serves them)"
        )
    if settings.target == "duckdb":
        print(f"warehouse: {settings.duckdb_path}")
        if settings.serving_file().exists():
            print(f"for BI tools: {settings.serving_file()} (public marts, DuckDB 1.0+)")
    elif settings.target == "spark":
        print(f"warehouse: {spark_location(settings)}")
        print("for BI tools: the marts schema of the Spark catalogue (no serving file on Spark)")
    else:
        pg = settings.postgres
        print(f"warehouse: postgresql://{pg.user}@{pg.host}:{pg.port}/{pg.database}")
        print(
            "for BI tools: schema serving (this run's marts, swapped in whole; "
            "a login in role revops_bi)"
        )
    report = written_report(result)
    if report:
        print(f"report: {report}")
    print("open the Dagster UI: make ui  (then http://127.0.0.1:3000)")
    print("=" * 72)
