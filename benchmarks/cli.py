"""``python -m benchmarks``: measure every scale, then write latest.json, latest.md, latest.png."""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from benchmarks.machine import machine_info, now_iso
from benchmarks.pipeline import ScaleRun, Workspace, merge_rounds, scale_label
from benchmarks.plot import plot
from benchmarks.procs import StepFailed
from benchmarks.project import snapshot
from benchmarks.report import markdown, summarise

PROJECT_DIR = Path(__file__).resolve().parent.parent
DEFAULT_OUT = PROJECT_DIR / "benchmarks" / "results"
DEFAULT_WORK = PROJECT_DIR / "benchmarks" / "work"
SMOKE_SCALE = 0.02


class BenchmarkFailed(RuntimeError):
    """A step of some scale failed; ``partial`` holds what was measured before."""

    def __init__(self, error: StepFailed, scale: float, partial: dict[str, Any]) -> None:
        super().__init__(f"scale {scale_label(scale)}: {error}")
        self.step = error.step
        self.partial = partial


def run_benchmarks(
    scales: Sequence[float],
    out_dir: Path,
    work_dir: Path,
    *,
    seed: int = 42,
    timeout: float = 7200.0,
    repeat: int = 1,
    project_dir: Path = PROJECT_DIR,
    commit: str | None = None,
    echo: Callable[[str], None] = print,
) -> dict[str, Any]:
    """Measure each scale in turn and write the results; return the summary.

    On a failing step, the scales measured so far (and the failing scale's finished steps) are
    written to ``work_dir/partial.json`` and ``BenchmarkFailed`` is raised: results in
    ``out_dir`` are only replaced by a complete run.
    """
    date = now_iso()
    measured: dict[str, dict[str, Any]] = {}
    for scale in scales:
        label = scale_label(scale)
        started = time.monotonic()
        rounds: list[dict[str, Any]] = []
        for round_no in range(1, repeat + 1):
            echo(
                f"== scale {label}" + (f", round {round_no}/{repeat}" if repeat > 1 else "") + " =="
            )
            run = ScaleRun(
                scale,
                Workspace(work_dir / f"scale-{label}"),
                project_dir,
                seed=seed,
                timeout=timeout,
                reuse_data=round_no > 1,
                echo=echo,
            )
            try:
                rounds.append(run.run().as_dict())
            except StepFailed as exc:
                failed = {**run.result.as_dict(), "failed_step": exc.step, "error": str(exc)}
                measured[label] = failed
                partial = work_dir / "partial.json"
                partial.write_text(json.dumps(measured, indent=2))
                echo(f"partial results: {partial}")
                raise BenchmarkFailed(exc, scale, measured) from exc
        measured[label] = merge_rounds(rounds)
        echo(f"== scale {label} done in {time.monotonic() - started:.0f}s ==")
    machine = machine_info(project_dir)
    if commit:
        machine["git_commit"] = commit
    machine["project"] = (
        f"working tree at {machine['git_commit']}" if commit is None else f"snapshot of {commit}"
    )
    summary = summarise(measured, machine, date)
    write_results(summary, out_dir)
    return summary


def write_results(summary: dict[str, Any], out_dir: Path) -> dict[str, Path]:
    """latest.json, latest.md and latest.png in ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {
        "json": out_dir / "latest.json",
        "md": out_dir / "latest.md",
        "png": out_dir / "latest.png",
    }
    paths["json"].write_text(json.dumps(summary, indent=2) + "\n")
    paths["md"].write_text(markdown(summary))
    plot(summary, paths["png"])
    return paths


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="Time and memory of every revops pipeline step per scale, against "
        "DuckDB floors measured in the same run.",
    )
    parser.add_argument(
        "--scales",
        type=float,
        nargs="+",
        default=[1.0, 10.0],
        help="scales to measure (default: 1 10)",
    )
    parser.add_argument("--scale-100", action="store_true", help="also measure scale 100")
    parser.add_argument(
        "--smoke",
        action="store_true",
        help=f"one tiny scale ({SMOKE_SCALE}) in a temporary folder: checks "
        "that every measurement works; results/ is left alone",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=DEFAULT_OUT,
        help="where latest.json/.md/.png go (default benchmarks/results)",
    )
    parser.add_argument(
        "--work",
        type=Path,
        default=DEFAULT_WORK,
        help="generated data and warehouses (default benchmarks/work, ignored)",
    )
    parser.add_argument(
        "--live",
        action="store_true",
        help="measure the working tree in place (default: a snapshot of --ref in the work "
        "folder, with its own dbt target/)",
    )
    parser.add_argument("--ref", default="HEAD", help="commit to snapshot (default HEAD)")
    parser.add_argument(
        "--repeat",
        type=int,
        default=2,
        help="rounds per scale (default 2; 1 with --smoke): a step's time is its fastest "
        "round, its memory the highest",
    )
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument(
        "--step-timeout",
        type=float,
        default=7200.0,
        help="seconds before a step is killed (default 7200)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    scales = list(dict.fromkeys(args.scales + ([100.0] if args.scale_100 else [])))
    out, work = args.out.resolve(), args.work.resolve()
    if args.smoke:
        tmp = Path(tempfile.mkdtemp(prefix="revops-bench-smoke-"))
        scales, work = [SMOKE_SCALE], tmp / "work"
        out = tmp / "results" if out == DEFAULT_OUT else out
    work.mkdir(parents=True, exist_ok=True)
    commit = None
    if args.live:
        project, what = PROJECT_DIR, f"working tree {PROJECT_DIR}"
    else:
        project, commit = snapshot(PROJECT_DIR, work / "project", args.ref)
        what = f"snapshot of {args.ref} ({commit}) in {project}"
    print(
        f"benchmarks: scales {', '.join(scale_label(s) for s in scales)}; {what}; work {work}",
        flush=True,
    )
    try:
        summary = run_benchmarks(
            scales,
            out,
            work,
            seed=args.seed,
            timeout=args.step_timeout,
            repeat=1 if args.smoke else max(1, args.repeat),
            project_dir=project,
            commit=commit,
            echo=lambda msg: print(msg, flush=True),
        )
    except BenchmarkFailed as exc:
        print(f"\nbenchmark FAILED at {exc}", file=sys.stderr)
        return 1
    print()
    print((out / "latest.md").read_text())
    print(f"wrote {out / 'latest.json'}, {out / 'latest.md'}, {out / 'latest.png'}")
    missed = [t["key"] for t in summary["targets"] if t["met"] is False]
    if missed:
        print(f"targets missed: {', '.join(missed)}")
    return 0
