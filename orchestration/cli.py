"""The `revops` command: the one entry point for people and the Makefile.

    revops generate   demo data with known truth (the simulator)
    revops run        the whole Dagster job in process: load, dbt build, checks, report
    revops load|build|check|report   one step of it
    revops check --rows RULE         a rule's offending rows (masked) from its latest check
    revops serve      the check pages the Dagster UI links to (REVOPS_PAGES_URL)

Every run subcommand executes a job of ``orchestration.definitions.defs`` in process, the same
definitions the Dagster UI loads.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import sys
import time
import uuid
from collections.abc import Sequence
from pathlib import Path

from orchestration.settings import TARGETS, Settings

STEP_JOBS = {"run": "full_pipeline", "load": "load", "build": "build", "report": "report"}
# Subcommands whose job runs dbt: they also need dbt's partial-parse state to be current.
DBT_COMMANDS = ("run", "build")


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"{text!r} must be greater than 0")
    return value


def _non_negative_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text!r} must be 0 or more")
    return value


def _positive_int(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} must be a whole number >= 1")
    return int(text)


def _non_negative_int(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"{text!r} must be a whole number >= 0")
    return int(text)


def _as_of(text: str) -> str:
    """Checked here so a bad value is a usage error; the run resolves it (once) later."""
    from orchestration.run_settings import AsOfError, resolve_as_of

    try:
        resolve_as_of(text)
    except AsOfError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return text


def _add_warehouse_options(
    p: argparse.ArgumentParser, landing: bool = False, full_refresh: bool = False
) -> None:
    p.add_argument(
        "--target", choices=TARGETS, help="warehouse (default: $REVOPS_TARGET or duckdb)"
    )
    p.add_argument(
        "--duckdb-path",
        type=Path,
        help="DuckDB file (default: $REVOPS_DUCKDB_PATH or data/warehouse.duckdb)",
    )
    p.add_argument(
        "--as-of",
        type=_as_of,
        help="the 'now' of freshness and SLA clocks, an ISO date or timestamp (offsets "
        "honoured, e.g. 2026-01-01T10:00:00+02:00; default: $REVOPS_AS_OF or the current time)",
    )
    p.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="print Dagster's full event log too (it always goes to logs/run-<run id>.log)",
    )
    if landing:
        p.add_argument(
            "--landing",
            type=Path,
            help="landing folder of <system>/<table>.csv files "
            "(default: $REVOPS_LANDING_DIR or data/landing)",
        )
    if full_refresh:
        p.add_argument("--full-refresh", action="store_true", help="rebuild incremental models")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every subcommand."""
    parser = argparse.ArgumentParser(
        prog="revops",
        description="revops: one revenue warehouse for sales and marketing.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    gen = sub.add_parser(
        "generate",
        help="simulate a B2B company's CRM and marketing data",
        description="Write demo data (<out>/<system>/<table>.csv) and "
        "<out>/ground_truth.json, the true KPIs and inconsistency counts.",
    )
    gen.add_argument(
        "--scale",
        type=_positive_float,
        default=1.0,
        help="size: 1 is about 20k contacts and 2k opportunities (default 1)",
    )
    gen.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
    gen.add_argument("--out", type=Path, required=True, help="output folder")
    gen.add_argument(
        "--batch",
        type=_positive_int,
        help="write only the K-th day's delta after the simulated year",
    )
    gen.add_argument(
        "--inconsistency-rate",
        type=_non_negative_float,
        default=1.0,
        help="multiplier of injected disagreements (0 = a clean company)",
    )
    from simulator.profile import add_arguments as add_profile_arguments

    add_profile_arguments(gen)

    run = sub.add_parser(
        "run",
        help="load, build, check and report: the whole Dagster job",
        description="Execute the full_pipeline Dagster job in process.",
    )
    _add_warehouse_options(run, landing=True, full_refresh=True)

    load = sub.add_parser(
        "load",
        help="load the landing folder into the raw schemas",
        description="Execute the load Dagster job in process: ingestion only. The raw-table "
        "quality suites are not run here: `revops check` runs them on their own, `revops run` "
        "runs them between loading and dbt.",
    )
    _add_warehouse_options(load, landing=True)
    build = sub.add_parser("build", help="dbt build: models, seeds, snapshots and tests")
    _add_warehouse_options(build, full_refresh=True)
    check = sub.add_parser(
        "check",
        help="run the Great Expectations suites standalone",
        description="Run the quality suite on the warehouse as it is: the raw-table suites and "
        "the consistency rules (expectations/checks.yml). Exits 1 when an error-severity check "
        "fails.",
    )
    _add_warehouse_options(check)
    check.add_argument(
        "--rows",
        metavar="RULE",
        help="print the offending rows of consistency rule RULE as its latest check stored them "
        "(quality.dq_offending_rows: keys and masked values), with their total; runs no check",
    )
    check.add_argument(
        "--limit",
        type=_non_negative_int,
        default=50,
        help="with --rows: how many rows to print (default 50; 0 = all)",
    )
    sub.add_parser(
        "serve",
        help="serve the check pages the Dagster UI links to",
        description="Serve each check's latest verdict and offending rows (masked) as HTML on "
        "REVOPS_PAGES_URL (default http://127.0.0.1:3001), and the weekly report under /report/. "
        "`make ui` starts it beside the Dagster UI.",
    )
    report = sub.add_parser("report", help="write the weekly alignment report")
    _add_warehouse_options(report)
    export = sub.add_parser(
        "export",
        help="write the scorecard, funnel, channel and sales marts as xlsx or csv",
        description="Write the KPI marts the teams open in a spreadsheet: one sheet (or csv "
        "file) per mart with typed cells, and a definitions sheet with every column's "
        "description from the dbt YAML.",
    )
    _add_warehouse_options(export)
    export.add_argument("--format", choices=("xlsx", "csv"), default="xlsx", dest="fmt")
    export.add_argument("--out", type=Path, help="output folder (default: <reports dir>/export)")
    return parser


def settings_from_args(args: argparse.Namespace) -> Settings:
    """Command-line options over environment variables."""
    settings = Settings.from_env()
    changes: dict[str, object] = {}
    if getattr(args, "target", None):
        changes["target"] = args.target
    if getattr(args, "duckdb_path", None):
        changes["duckdb_path"] = args.duckdb_path.resolve()
    if getattr(args, "landing", None):
        changes["landing_dir"] = args.landing.resolve()
    if getattr(args, "as_of", None):
        changes["as_of"] = args.as_of
    return settings.with_(**changes) if changes else settings


def _generate(args: argparse.Namespace) -> int:
    from simulator import generate
    from simulator.profile import kwargs_from_args

    started = time.monotonic()
    truth = generate(
        args.out.resolve(),
        scale=args.scale,
        seed=args.seed,
        batch=args.batch,
        inconsistency_rate=args.inconsistency_rate,
        progress=lambda msg: print(f"  {msg}", flush=True),
        **kwargs_from_args(args),
    )
    elapsed = time.monotonic() - started
    print(
        f"wrote {args.out} in {elapsed:.1f}s: {truth.get('people')} people, "
        f"{truth.get('opportunities')} opportunities, won revenue "
        f"{truth.get('won_revenue_usd'):,.2f} USD"
    )
    return 0


def dagster_home(settings: Settings) -> Path:
    """A project-local DAGSTER_HOME holding the project's dagster.yaml, unless one is set."""
    home = Path(os.environ.get("DAGSTER_HOME") or settings.project_dir / ".dagster_home")
    home.mkdir(parents=True, exist_ok=True)
    config = settings.project_dir / "dagster.yaml"
    project_local = "DAGSTER_HOME" not in os.environ
    if config.exists() and (project_local or not (home / "dagster.yaml").exists()):
        # The project-local instance always follows the committed configuration; a home the
        # operator set keeps its own dagster.yaml when it has one.
        shutil.copy(config, home / "dagster.yaml")
    return home


def _landing_problem(settings: Settings) -> str | None:
    """Why the landing folder cannot feed a run (it holds no contract file), or None."""
    from orchestration.ingest import find_files, load_contract

    contract = load_contract(settings.project_dir)
    found, _, unknown = find_files(settings.landing_dir, contract)
    if found:
        return None
    expected = ", ".join(f"{s}/<table>.csv" for s in contract.systems)
    message = (
        f"no landing files found in {settings.landing_dir}: expected {expected} (or .jsonl), "
        "named after the tables of the raw contract (models/staging/*/_*__sources.yml)"
    )
    if unknown:
        shown = ", ".join(str(p.relative_to(settings.landing_dir)) for p in unknown[:5])
        message += f"; found only files that are not contract tables: {shown}"
    return message


def _run_job(args: argparse.Namespace) -> int:
    from orchestration.run_settings import as_of_tag, format_as_of, resolve_as_of

    settings = settings_from_args(args)
    # The run's "now", resolved once: stamped on the run, every step reads it from there.
    as_of = resolve_as_of(settings.as_of)
    if args.command in ("run", "load") and not settings.landing_dir.is_dir():
        print(
            f"error: landing folder {settings.landing_dir} does not exist "
            "(generate demo data with `revops generate --out DIR` or pass --landing DIR)",
            file=sys.stderr,
        )
        return 2
    if args.command in ("run", "load"):
        problem = _landing_problem(settings)
        if problem:
            print(f"error: {problem}", file=sys.stderr)
            return 2
    from orchestration.preflight import warehouse_problem

    problem = warehouse_problem(settings)
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    os.environ.update(settings.to_env())
    os.environ["DAGSTER_HOME"] = str(dagster_home(settings))

    from orchestration.dbt_project import prepare_manifest

    # Skipped when target/manifest.json is current (no dbt process: seconds saved per command).
    # Parsed with the run's as_of, as the dbt steps pass it: they then parse partially.
    prepare_manifest(settings, for_dbt_build=args.command in DBT_COMMANDS, as_of=as_of)

    from dagster import DagsterInstance

    from orchestration.assets.dbt import FULL_REFRESH_TAG
    from orchestration.console import cli_loggers, printed_into
    from orchestration.definitions import defs
    from orchestration.pools import WRITER_POOL
    from orchestration.recovery import cli_run_tags, release_dead_runs
    from orchestration.run_guard import execute_guarded, pool_wait_seconds_from_env
    from orchestration.summary import print_run_summary

    job = defs.resolve_job_def(STEP_JOBS[args.command])
    tags: dict[str, str] = {}
    if getattr(args, "full_refresh", False):
        tags[FULL_REFRESH_TAG] = "true"
    run_id = str(uuid.uuid4())
    log_path = settings.project_dir / "logs" / f"run-{run_id}.log"
    verbose = getattr(args, "verbose", False)
    loggers, run_config = cli_loggers(log_path, verbose=verbose, out=sys.stdout)
    print(
        f"running job {job.name} on {settings.target}"
        + (f" ({settings.duckdb_path})" if settings.target == "duckdb" else "")
        + f" as of {format_as_of(as_of)}",
        flush=True,
    )
    print(f"full log: {log_path}", flush=True)
    tags.update(cli_run_tags())
    tags.update(as_of_tag(as_of))
    printed = contextlib.nullcontext() if verbose else printed_into(log_path)
    with DagsterInstance.get() as instance:
        for dead in release_dead_runs(instance):
            print(
                f"run {dead} was left in progress by a process that is gone: marked failed, "
                "its pool slots freed",
                flush=True,
            )
        console = sys.stdout  # `printed` sends what is printed during the run to the log
        with printed:
            result, stopped = execute_guarded(
                job.with_logger_defs(loggers),
                instance,
                run_id,
                WRITER_POOL,
                pool_wait_seconds_from_env(),
                say=lambda line: print(line, file=console, flush=True),
                run_config=run_config,
                tags=tags,
            )
        if stopped is not None:
            what = "canceled" if stopped.canceled else "failed"
            print(f"error: run {run_id} {what}: {stopped.message}", file=sys.stderr)
            return 143 if stopped.canceled else 1
    print_run_summary(settings, result)
    return 0 if result.success else 1


def _check(args: argparse.Namespace) -> int:
    settings = settings_from_args(args)
    if args.rows:
        from orchestration.quality.rows_cli import print_rows

        return print_rows(settings, args.rows, args.limit)
    from orchestration.quality.runner import print_results, run_suites
    from orchestration.run_settings import resolve_as_of

    results = run_suites(settings, as_of=resolve_as_of(settings.as_of))
    print_results(results)
    return 0 if all(r.success or r.severity == "warn" for r in results) else 1


def _export(args: argparse.Namespace) -> int:
    settings = settings_from_args(args)
    from orchestration.dbt_project import prepare_manifest
    from orchestration.export import export

    manifest = prepare_manifest(settings, for_dbt_build=False)
    out = (args.out or settings.reports_dir / "export").resolve()
    for path in export(settings, args.fmt, out, manifest):
        print(f"wrote {path}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `revops` console script."""
    args = build_parser().parse_args(argv)
    try:
        if args.command == "generate":
            return _generate(args)
        if args.command == "check":
            return _check(args)
        if args.command == "export":
            return _export(args)
        if args.command == "serve":
            from orchestration.quality.rows_cli import serve

            return serve(settings_from_args(args))
        return _run_job(args)
    except (ValueError, FileNotFoundError, RuntimeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
