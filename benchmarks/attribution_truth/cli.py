"""python -m benchmarks.attribution_truth [--seeds N] [--profile dominant,equal,zero-effect]
[--scale S]: per profile and seed, generate, build, compare; print tables and write JSON."""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.attribution_truth.compare import (
    compare_company,
    diagnosis_errors,
    diagnosis_table,
    merge,
    summarise,
    summarise_diagnosis,
    table,
)
from simulator.channel_effects import PRESETS

PROJECT_DIR = Path(__file__).resolve().parents[2]
#: Gitignored (benchmarks/work/): generated results are never committed.
DEFAULT_OUT = PROJECT_DIR / "benchmarks" / "work" / "attribution_truth"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.attribution_truth",
        description="Compare the Markov and Shapley channel shares (scope marketing) with the "
        "simulator's true incremental shares, and check the 90% intervals' coverage.",
    )
    parser.add_argument("--seeds", type=int, default=10, help="seeds per profile (default 10)")
    parser.add_argument("--first-seed", type=int, default=1, help="first seed (default 1)")
    parser.add_argument(
        "--profile",
        default=",".join(PRESETS),
        help="comma-separated channel_effects presets or one spec (simulator/README.md, "
        f"Channel effects); default {','.join(PRESETS)}",
    )
    parser.add_argument("--scale", type=float, default=1.0, help="company size (default 1)")
    parser.add_argument(
        "--inconsistency-rate",
        type=float,
        default=0.0,
        help="injected disagreements (default 0: a clean company, attribution alone)",
    )
    parser.add_argument("--threads", type=int, default=2, help="dbt threads (default 2)")
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help=f"results folder (default {DEFAULT_OUT})"
    )
    parser.add_argument("--keep", action="store_true", help="keep each seed's warehouse")
    parser.add_argument(
        "--no-diagnosis",
        action="store_true",
        help="skip the models' recomputation on subsets of the journeys (diagnose.py): "
        "shares and intervals only, a few seconds less per seed",
    )
    parser.add_argument(
        "--merge",
        nargs="+",
        type=Path,
        metavar="JSON",
        help="print the tables of earlier runs' <profile>.json files of one profile together "
        "(seeds run in parallel into different --out folders) and write the union to "
        "<out>/<profile>.json; nothing is generated or built",
    )
    args = parser.parse_args(argv)
    if args.seeds < 1:
        parser.error("--seeds must be at least 1")
    return args


def profiles(text: str) -> list[str]:
    """Presets are comma-separated; anything else is one spec (it has commas of its own)."""
    names = [x.strip() for x in text.split(",") if x.strip()]
    return names if all(n in PRESETS for n in names) else [text]


def run_profile(args: argparse.Namespace, profile: str) -> dict[str, Any]:
    from benchmarks.attribution_truth.diagnose import diagnose
    from benchmarks.attribution_truth.warehouse import build

    label = profile if profile in PRESETS else "custom"
    out = args.out / f"{label}.json"
    companies: list[list[dict[str, Any]]] = []
    seeds: list[dict[str, Any]] = []
    diagnoses: list[dict[str, dict[str, dict[str, float]]]] = []
    for seed in range(args.first_seed, args.first_seed + args.seeds):
        work = args.out / "work" / f"{label}-{seed}"
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
        started = time.monotonic()
        company = build(work, seed, args.scale, profile, args.inconsistency_rate, args.threads)
        rows = compare_company(company.truth["channel_effects"], company.effects, company.intervals)
        companies.append(rows)
        block = company.truth["channel_effects"]
        if not args.no_diagnosis:
            diagnoses.append(
                diagnosis_errors(
                    block, diagnose(work / "warehouse.duckdb", set(block["by_channel"]))
                )
            )
        seeds.append(
            {
                "seed": seed,
                "seconds": round(time.monotonic() - started, 1),
                "opportunities": block["opportunities"],
                "conversions": block["conversions"],
                "truth": block["by_channel"],
                "channels": rows,
                "diagnosis": None if args.no_diagnosis else diagnoses[-1],
            }
        )
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        result = {
            "profile": label,
            "spec": profile,
            "scale": args.scale,
            "inconsistency_rate": args.inconsistency_rate,
            "model": block["model"],
            "summary": summarise(companies),
            "diagnosis": summarise_diagnosis(diagnoses),
            "seeds": seeds,
        }
        out.write_text(json.dumps(result, indent=2, sort_keys=True) + "\n")  # after every seed
        print(
            f"  {label} seed {seed}: {block['conversions']} conversions of "
            f"{block['opportunities']}, {seeds[-1]['seconds']} s",
            file=sys.stderr,
            flush=True,
        )
    return result


def _print(result: dict[str, Any], out: Path) -> None:
    print(table(result["profile"], result["summary"]), flush=True)
    if result["diagnosis"]:
        print(diagnosis_table(result["diagnosis"]), flush=True)
    print(f"  written: {out / (result['profile'] + '.json')}", flush=True)


def link_worker(out: Path) -> str:
    """The worker name of a run's warehouse links. dbt is called through the test helpers'
    stable warehouse link (tests/parse_once.py), one per worker name: runs side by side
    (different --out) need a name each, or one run repoints the other's link and its dbt
    opens the other's warehouse (a lock error, or a seed built into the wrong file)."""
    return "attribution-truth-" + hashlib.sha1(str(out.resolve()).encode()).hexdigest()[:8]


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    if args.merge:
        try:
            result = merge([json.loads(path.read_text()) for path in args.merge])
        except (OSError, ValueError, KeyError) as exc:
            print(f"--merge: {exc}", file=sys.stderr)
            return 2
        out = args.out / f"{result['profile']}.json"
        out.write_text(json.dumps(result, indent=2, sort_keys=True) + "\n")
        _print(result, args.out)
        return 0
    os.environ["PYTEST_XDIST_WORKER"] = link_worker(args.out)
    for profile in profiles(args.profile):
        _print(run_profile(args, profile), args.out)
    return 0
