"""The console of a CLI run: a line per step, failed checks with counts, the full log in a file."""

from __future__ import annotations

import io
from pathlib import Path

from dagster import (
    AssetCheckResult,
    AssetCheckSeverity,
    Definitions,
    asset,
    asset_check,
    define_asset_job,
)

from orchestration.console import CONSOLE, StepProgress, cli_loggers


@asset
def upstream() -> int:
    return 1


@asset(deps=[upstream])
def downstream(context) -> int:
    context.log.warning("3 rows quarantined in downstream")
    context.log.info("downstream: 12 rows loaded", extra=CONSOLE)
    context.log.info("an INFO line for the log file only")
    return 2


@asset
def broken() -> int:
    raise ValueError("column amount is not a number")


@asset_check(asset=upstream)
def upstream_rule() -> AssetCheckResult:
    return AssetCheckResult(
        passed=False,
        severity=AssetCheckSeverity.ERROR,  # not blocking: the run goes on
        metadata={"observed_value": 3, "threshold": 0},
    )


DEFS = Definitions(
    assets=[upstream, downstream, broken],
    asset_checks=[upstream_rule],
    jobs=[
        define_asset_job("good", selection=[upstream, downstream]),
        define_asset_job("bad", selection=[broken]),
    ],
)


def run(job_name: str, tmp_path: Path, verbose: bool = False) -> tuple[str, str, bool]:
    out = io.StringIO()
    log = tmp_path / "run.log"
    loggers, run_config = cli_loggers(log, verbose=verbose, out=out)
    job = DEFS.resolve_job_def(job_name).with_logger_defs(loggers)
    result = job.execute_in_process(run_config=run_config, raise_on_error=False)
    return out.getvalue(), log.read_text(), result.success


def test_one_line_per_step_and_the_failed_checks(tmp_path: Path, capsys) -> None:
    printed, logged, success = run("good", tmp_path)
    assert success
    lines = printed.splitlines()
    steps = [line.split()[1] for line in lines if line.startswith("  ok  ")]
    assert sorted(steps) == ["downstream", "upstream", "upstream_upstream_rule"], printed
    assert all(line.rstrip().endswith("s") for line in lines if line.startswith("  ok  "))
    assert any(
        "failed check upstream:upstream_rule (error): 3 offending (threshold 0)" in line
        for line in lines
    )
    assert any("warning: 3 rows quarantined in downstream" in line for line in lines)
    assert any(line.strip() == "downstream: 12 rows loaded" for line in lines)
    assert "for the log file only" not in printed and "for the log file only" in logged
    assert len(lines) <= 7, printed
    # the full Dagster log went to the file, not to the console
    assert "STEP_SUCCESS" in logged or "Finished execution of step" in logged
    assert "DEBUG" in logged
    # the file reads like Dagster's console: the benchmarks' parser finds every step in it
    from benchmarks.dagster_log import breakdown

    parsed = breakdown(tmp_path / "run.log", 0.0, 4e9)
    assert set(parsed["steps"]) == {"downstream", "upstream", "upstream_upstream_rule"}
    assert "DEBUG" not in capsys.readouterr().err


def test_a_failed_step_says_why(tmp_path: Path) -> None:
    printed, _, success = run("bad", tmp_path)
    assert not success
    fail = [line for line in printed.splitlines() if "FAIL" in line]
    assert fail and "broken" in fail[0]
    assert "column amount is not a number" in printed


def test_verbose_brings_dagster_console_back(tmp_path: Path, capsys) -> None:
    printed, logged, _ = run("good", tmp_path, verbose=True)
    assert printed == ""  # the progress lines give way to Dagster's own console
    assert "STEP_SUCCESS" in capsys.readouterr().err
    assert logged


def test_heartbeat_names_the_running_step() -> None:
    out = io.StringIO()
    handler = StepProgress(out, heartbeat=0.05)
    handler.started["revops_dbt_core"] = 0.0  # started long ago
    handler._start_ticker()
    try:
        import time

        deadline = time.monotonic() + 5
        while "revops_dbt_core" not in out.getvalue() and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        handler.close()
    assert "revops_dbt_core" in out.getvalue() and "so far" in out.getvalue()


def test_load_lines_total_each_system_and_name_the_tables_with_news() -> None:
    from orchestration.assets.ingest import console_lines
    from orchestration.ingest import LoadResult

    def result(table: str, rows: int, quarantined: int = 0, **kw: object) -> LoadResult:
        return LoadResult(
            system="crm",
            table=table,
            file=f"crm/{table}.csv",
            rows_in_file=rows,
            rows_loaded=rows - quarantined,
            rows_quarantined=quarantined,
            new_columns=(),
            duration_s=0.1,
            load_id="x",
            **kw,  # type: ignore[arg-type]
        )

    lines = console_lines(
        "crm",
        [
            result("account", 1000),
            result("lead", 500, quarantined=3, quarantine_reasons=(("email: not text", 3),)),
            result("contact", 20, missing_columns=("email",)),
            result("task", 0, status="missing"),
        ],
    )
    assert lines[0] == "crm: 3 table(s), 1,520 rows in the files, 1,517 loaded, 3 quarantined"
    assert len(lines) == 3  # the clean table and the absent one have no line of their own
    assert "crm.lead" in lines[1] and "3 quarantined" in lines[1]
    assert "crm.contact" in lines[2] and "email" in lines[2]
    assert console_lines("crm", [result("task", 0, status="missing")]) == []
