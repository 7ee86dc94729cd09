"""The measured steps of one scale, each a subprocess running the real command.

Order (the floors and the Dagster job get their own warehouse files):

1. ``generate`` the landing folder, ``generate_batch`` the first day after the simulated year;
2. ``ingest_floor`` (plain DuckDB) and ``ingest`` (``revops load``) of the same files;
3. ``dbt_parse`` (cold parse into this run's target path; reported, not judged) and
   ``dbt_compile`` on the loaded warehouse, then ``engine_floor`` runs that compiled SQL
   directly on a copy of it;
4. ``dbt_seed``, ``dbt_run`` (models), ``dbt_snapshot``, then ``dbt_test``; then
   ``dbt_build_models`` (``dbt build --full-refresh`` of seeds, models and snapshots: the
   engine floor's work in one dbt invocation) and ``dbt_build_full`` (``dbt build
   --full-refresh`` with data tests, as the Dagster dbt step runs it: no unit tests);
5. ``check`` (``revops check``, the quality suite) on the fully built warehouse;
6. ``ingest_batch`` (``revops load`` of the one-day batch), ``dbt_parse_next_day`` (the new
   as_of makes dbt re-parse) and ``dbt_build_incremental`` (the same ``dbt build``, no
   --full-refresh);
7. ``dagster_job`` (``revops run``: the whole Dagster job) on a fresh warehouse.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks import manifest as artifacts
from benchmarks.dagster_log import breakdown, event_log
from benchmarks.procs import StepFailed, StepResult, run_step
from orchestration.run_settings import dbt_vars_args, resolve_as_of

# what the Dagster dbt step leaves out of `dbt build` (orchestration/assets/dbt.py: unit tests)
PRODUCTION_EXCLUDES = ("--exclude-resource-type", "unit_test")
DBT_THREADS = 2  # profiles.yml: the floor runs as many statements at once as dbt has threads
WAREHOUSE = "warehouse.duckdb"
FLOOR_RESOURCE_TYPES = (
    "--resource-type",
    "seed",
    "--resource-type",
    "model",
    "--resource-type",
    "snapshot",
)  # one file name everywhere: the DuckDB catalog is its stem
MODEL_TIMED_STEPS = ("dbt_run", "dbt_build_models", "dbt_build_full", "dbt_build_incremental")
COMPOSED_STEPS = ("dbt_build_full", "dbt_build_incremental")  # where their time goes
STEP_ORDER = (
    "generate",
    "generate_batch",
    "ingest_floor",
    "ingest",
    "dbt_parse",
    "dbt_compile",
    "engine_floor",
    "dbt_seed",
    "dbt_run",
    "dbt_snapshot",
    "dbt_test",
    "dbt_build_models",
    "dbt_build_full",
    "check",
    "ingest_batch",
    "dbt_parse_next_day",
    "dbt_build_incremental",
    "dagster_job",
)


def scale_label(scale: float) -> str:
    """'1', '10', '0.02': the key of a scale in results."""
    return f"{scale:g}"


@dataclass(frozen=True)
class Workspace:
    """Every path one scale's run writes, under ``root``."""

    root: Path

    @property
    def landing(self) -> Path:
        return self.root / "landing"

    @property
    def batch(self) -> Path:
        return self.root / "batch"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def dbt_target(self) -> Path:
        return self.root / "dbt" / "target"

    @property
    def dbt_logs(self) -> Path:
        return self.root / "dbt" / "logs"

    @property
    def reports(self) -> Path:
        return self.root / "reports"

    def warehouse(self, kind: str) -> Path:
        """The DuckDB file of one kind of run: floor_ingest, floor_engine, dbt, dagster."""
        return self.root / kind / WAREHOUSE

    def dagster_home(self, step: str) -> Path:
        return self.root / "dagster_home" / step

    def reset(self, keep: Sequence[str] = ()) -> None:
        """Empty the folder, except the named children (e.g. generated data between rounds)."""
        self.root.mkdir(parents=True, exist_ok=True)
        for child in self.root.iterdir():
            if child.name in keep:
                continue
            if child.is_dir():
                shutil.rmtree(child)
            else:
                child.unlink()


@dataclass
class ScaleResult:
    """What one scale measured."""

    scale: float
    steps: dict[str, StepResult] = field(default_factory=dict)
    slowest_models: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    floor_slowest: list[dict[str, Any]] = field(default_factory=list)
    model_seconds: dict[str, float] = field(default_factory=dict)
    composition: dict[str, dict[str, float]] = field(default_factory=dict)
    dbt_status: dict[str, dict[str, dict[str, int]]] = field(default_factory=dict)
    sizes: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    as_of: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of,
            "steps": {k: v.as_dict() for k, v in self.steps.items()},
            "rounds": 1,
            "slowest_models": self.slowest_models,
            "engine_floor_slowest": self.floor_slowest,
            "model_seconds": self.model_seconds,
            "composition": self.composition,
            "dbt_status": self.dbt_status,
            "sizes_mib": self.sizes,
            "notes": self.notes,
        }


def bin_path(name: str) -> Path:
    """A console script installed beside the running Python (the venv's)."""
    return Path(sys.executable).with_name(name)


def revops_cmd() -> list[str]:
    """The ``revops`` console script's own entry point, run as a module.

    With PYTHONPATH set to the measured project, its ``orchestration`` and ``simulator``
    packages are imported (a snapshot's, not the editable install's).
    """
    return [sys.executable, "-m", "orchestration.cli"]


def clean_env(extra: Mapping[str, str]) -> dict[str, str]:
    """This process's environment without REVOPS_/DBT_/DAGSTER_ settings, plus ``extra``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("REVOPS_", "DBT_", "DAGSTER_"))}
    env["PYTHONUNBUFFERED"] = "1"
    env.update(extra)
    return env


def read_as_of(folder: Path) -> str:
    """``as_of`` of a generated folder's ground_truth.json ('' when absent)."""
    truth = folder / "ground_truth.json"
    if not truth.exists():
        return ""
    return str(json.loads(truth.read_text()).get("as_of") or "")


def dir_mib(path: Path) -> float:
    if path.is_file():
        return round(path.stat().st_size / 2**20, 2)
    total = sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
    return round(total / 2**20, 2)


class ScaleRun:
    """Runs the steps of one scale in order and collects their costs."""

    def __init__(
        self,
        scale: float,
        ws: Workspace,
        project_dir: Path,
        *,
        seed: int = 42,
        timeout: float = 7200.0,
        reuse_data: bool = False,
        echo: Callable[[str], None] = print,
    ) -> None:
        self.scale, self.ws, self.project_dir = scale, ws, project_dir
        self.seed, self.timeout, self.echo = seed, timeout, echo
        self.reuse_data = reuse_data and (ws.landing / "ground_truth.json").exists()
        self.result = ScaleResult(scale=scale)

    # -- helpers -------------------------------------------------------------------------
    def _step(
        self,
        name: str,
        cmd: Sequence[str],
        env: Mapping[str, str] | None = None,
        ok_codes: Sequence[int] = (0,),
    ) -> StepResult:
        label = f"[scale {scale_label(self.scale)}] {name}"
        self.echo(f"  -> {label} ...")
        result = run_step(
            name,
            cmd,
            log_dir=self.ws.logs,
            env=clean_env({"PYTHONPATH": str(self.project_dir), **(env or {})}),
            cwd=self.project_dir,
            timeout=self.timeout,
            ok_codes=ok_codes,
            echo=self.echo,
        )
        self.echo(
            f"  <- {label}: {result.seconds:.1f}s, peak {result.peak_rss_gib:.2f} GiB"
            + (f" (exit {result.exit_code})" if result.exit_code else "")
        )
        self.result.steps[name] = result
        return result

    def _dbt_env(self, db: Path) -> dict[str, str]:
        return {
            "REVOPS_DUCKDB_PATH": str(db),
            "REVOPS_TARGET": "duckdb",
            "DBT_TARGET_PATH": str(self.ws.dbt_target),
            "DBT_LOG_PATH": str(self.ws.dbt_logs),
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        }

    def _dbt(self, name: str, args: Sequence[str], db: Path, tolerate_tests: bool) -> StepResult:
        cmd = [
            str(bin_path("dbt")),
            *args,
            "--project-dir",
            str(self.project_dir),
            "--profiles-dir",
            str(self.project_dir),
            # as a run passes it (orchestration/run_settings.py)
            *(dbt_vars_args(resolve_as_of(self.result.as_of)) if self.result.as_of else []),
        ]
        run_results = self.ws.dbt_target / "run_results.json"
        run_results.unlink(missing_ok=True)
        step = self._step(name, cmd, self._dbt_env(db), ok_codes=(0, 1) if tolerate_tests else (0,))
        results = artifacts.read_run_results(run_results)
        if results:
            shutil.copy(run_results, self.ws.logs / f"{name}.run_results.json")
            self.result.dbt_status[name] = artifacts.status_counts(results)
        if step.exit_code:
            broken = artifacts.broken_nodes(results)
            if broken or not results:
                raise StepFailed(
                    name,
                    f"exit code {step.exit_code}; nodes not built: {', '.join(broken[:10])}",
                    _tail(step),
                )
            failing = artifacts.failing_tests(results)
            step.note = f"all models built; {len(failing)} tests failed: {', '.join(failing[:8])}"
            self.result.notes.append(f"{name}: {step.note}")
        if name in MODEL_TIMED_STEPS:
            self.result.slowest_models[name] = artifacts.slowest_models(results)
        if name in COMPOSED_STEPS and results:
            manifest_path = self.ws.dbt_target / "manifest.json"
            manifest = json.loads(manifest_path.read_text()) if manifest_path.exists() else {}
            self.result.composition[name] = artifacts.composition(
                results, manifest, step.seconds, artifacts.read_elapsed(run_results)
            )
        if name == "dbt_run":
            self.result.model_seconds = {
                r["model"]: r["seconds"] for r in artifacts.slowest_models(results, top=10_000)
            }
        return step

    def _revops(
        self, name: str, args: Sequence[str], db: Path, ok_codes: Sequence[int] = (0,)
    ) -> StepResult:
        env = {
            "REVOPS_DUCKDB_PATH": str(db),
            "REVOPS_AS_OF": self.result.as_of,
            "REVOPS_TARGET": "duckdb",
            "REVOPS_REPORTS_DIR": str(self.ws.reports),
            "DAGSTER_HOME": str(self.ws.dagster_home(name)),
        }
        self.ws.dagster_home(name).mkdir(parents=True, exist_ok=True)
        step = self._step(name, [*revops_cmd(), *args], env, ok_codes)
        log = event_log(Path(step.stdout_path), Path(step.stderr_path))
        step.breakdown = breakdown(log, step.started_at, step.ended_at)
        return step

    def _floor(self, name: str, args: Sequence[str]) -> dict[str, Any]:
        step = self._step(
            name,
            [
                sys.executable,
                "-m",
                "benchmarks.floors",
                *args,
                "--project-dir",
                str(self.project_dir),
            ],
            {"PYTHONPATH": str(Path(__file__).resolve().parent.parent)},  # this harness
        )
        lines = Path(step.stdout_path).read_text().strip().splitlines()
        try:
            return dict(json.loads(lines[-1]))
        except (IndexError, ValueError) as exc:
            raise StepFailed(name, "no JSON summary on stdout", _tail(step)) from exc

    # -- the steps -----------------------------------------------------------------------
    def run(self) -> ScaleResult:
        ws, scale = self.ws, scale_label(self.scale)
        if self.reuse_data:  # a later round: the same generated files, generation not re-measured
            ws.reset(keep=("landing", "batch"))
        else:
            ws.reset()
            gen = [*revops_cmd(), "generate", "--scale", scale, "--seed", str(self.seed)]
            self._step("generate", [*gen, "--out", str(ws.landing)])
            self._step("generate_batch", [*gen, "--out", str(ws.batch), "--batch", "1"])
        self.result.as_of = read_as_of(ws.landing)
        batch_as_of = read_as_of(ws.batch) or self.result.as_of
        self.result.sizes["landing"] = dir_mib(ws.landing)
        self.result.sizes["batch"] = dir_mib(ws.batch)

        for kind in ("floor_ingest", "floor_engine", "dbt", "dagster"):
            ws.warehouse(kind).parent.mkdir(parents=True, exist_ok=True)
        floor = self._floor(
            "ingest_floor",
            ["ingest", "--landing", str(ws.landing), "--db", str(ws.warehouse("floor_ingest"))],
        )
        self.result.steps["ingest_floor"].note = (
            f"{floor['files']} files ({floor['typed_files']} with contract types), "
            f"{floor['rows']} rows"
        )
        dbt_db = ws.warehouse("dbt")
        self._revops("ingest", ["load", "--landing", str(ws.landing)], dbt_db)
        self.result.sizes["warehouse_raw"] = dir_mib(dbt_db)

        # parse and compile against the warehouse dbt will build (another path is another
        # profile: dbt would re-parse everything); nothing is built yet, so incremental models
        # compile to their full-refresh SQL
        self._dbt("dbt_parse", ["parse"], dbt_db, tolerate_tests=False)
        self._dbt("dbt_compile", ["compile"], dbt_db, tolerate_tests=False)
        floor_db = ws.warehouse("floor_engine")
        shutil.copy(dbt_db, floor_db)
        compiled = floor_db.parent / "manifest.json"
        shutil.copy(ws.dbt_target / "manifest.json", compiled)
        floor = self._floor(
            "engine_floor",
            [
                "engine",
                "--manifest",
                str(compiled),
                "--db",
                str(floor_db),
                "--workers",
                str(DBT_THREADS),
            ],
        )
        self.result.steps["engine_floor"].note = f"{floor['nodes']} seeds/snapshots/models"
        self.result.floor_slowest = list(floor.get("slowest") or [])

        self._dbt("dbt_seed", ["seed"], dbt_db, tolerate_tests=False)
        self._dbt("dbt_run", ["run"], dbt_db, tolerate_tests=False)
        if artifacts.has_snapshots(compiled):  # snapshots read staging models: after dbt run
            self._dbt("dbt_snapshot", ["snapshot"], dbt_db, tolerate_tests=False)
        self._dbt("dbt_test", ["test"], dbt_db, tolerate_tests=True)
        # the floor's work set in one dbt invocation: seeds, models and snapshots, no tests
        self._dbt(
            "dbt_build_models",
            ["build", "--full-refresh", *FLOOR_RESOURCE_TYPES],
            dbt_db,
            tolerate_tests=False,
        )
        # the full and the incremental build as the Dagster dbt step runs them (no unit tests)
        self._dbt(
            "dbt_build_full",
            ["build", *PRODUCTION_EXCLUDES, "--full-refresh"],
            dbt_db,
            tolerate_tests=True,
        )
        self.result.sizes["warehouse_built"] = dir_mib(dbt_db)

        check = self._revops("check", ["check"], dbt_db, ok_codes=(0, 1))
        if check.exit_code:
            check.note = "quality suite ran; some error-severity checks did not pass"
            self.result.notes.append(f"check: {check.note}")

        # the next day: a new as_of. as_of is a dbt var (--vars), so dbt
        # re-parses the whole project once; measured on its own (dbt_parse_next_day) so that
        # dbt_build_incremental compares with dbt_build_full on an equally warm parse
        self.result.as_of, full_as_of = batch_as_of, self.result.as_of
        self._revops("ingest_batch", ["load", "--landing", str(ws.batch)], dbt_db)
        self._dbt("dbt_parse_next_day", ["parse"], dbt_db, tolerate_tests=False)
        self._dbt(
            "dbt_build_incremental", ["build", *PRODUCTION_EXCLUDES], dbt_db, tolerate_tests=True
        )
        self.result.as_of = full_as_of

        job = self._revops(
            "dagster_job",
            ["run", "--landing", str(ws.landing)]
            + (["--as-of", self.result.as_of] if self.result.as_of else []),
            ws.warehouse("dagster"),
            ok_codes=(0, 1),
        )
        if job.exit_code:
            job.note = "the Dagster job did not succeed (see its log): time may omit skipped steps"
            self.result.notes.append(f"dagster_job: {job.note}\n{_tail(job, 12)}")
        return self.result


def _tail(step: StepResult, lines: int = 25) -> str:
    from benchmarks.procs import failure_tail

    return failure_tail(Path(step.stdout_path), Path(step.stderr_path), lines)


def merge_rounds(rounds: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """One scale's result from several rounds (``ScaleResult.as_dict()``s).

    A step's seconds are its fastest round (the one least disturbed by other work on the
    machine) and its details (breakdown, slowest models) come from that round; its peak RSS
    figures are the highest of all rounds. Every round's seconds stay in ``rounds_seconds``.
    """
    merged = dict(rounds[0])
    merged["rounds"] = len(rounds)
    steps: dict[str, Any] = {}
    names = list(dict.fromkeys(n for r in rounds for n in r["steps"]))
    for name in names:
        samples = [r["steps"][name] for r in rounds if name in r["steps"]]
        best = dict(min(samples, key=lambda s: s["seconds"]))
        for key in ("peak_rss_gib", "max_process_rss_gib", "tree_rss_gib"):
            best[key] = max(s[key] for s in samples)
        best["rounds_seconds"] = [s["seconds"] for s in samples]
        steps[name] = best
    merged["steps"] = steps
    fastest = {
        kind: min(rounds, key=lambda r, k=kind: r["steps"].get(k, {}).get("seconds", 1e18))
        for kind in (*MODEL_TIMED_STEPS, "engine_floor")
    }
    merged["slowest_models"] = {
        k: fastest[k]["slowest_models"].get(k, []) for k in MODEL_TIMED_STEPS
    }
    merged["engine_floor_slowest"] = fastest["engine_floor"]["engine_floor_slowest"]
    merged["model_seconds"] = fastest["dbt_run"].get("model_seconds", {})
    merged["composition"] = {
        k: fastest[k].get("composition", {}).get(k, {})
        for k in COMPOSED_STEPS
        if fastest[k].get("composition", {}).get(k)
    }
    merged["notes"] = list(dict.fromkeys(n for r in rounds for n in r["notes"]))
    return merged
