"""python -m simulator --out DIR [--scale S] [--seed N] [--batch K] [--inconsistency-rate R]
[profile options: see --help]"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from simulator import profile
from simulator.config import BATCH_HORIZON_DAYS


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m simulator",
        description="Generate a simulated B2B company's raw tables and ground_truth.json.",
    )
    parser.add_argument("--out", type=Path, required=True, help="output folder")
    parser.add_argument(
        "--scale",
        type=float,
        default=1.0,
        help="size (1 = about 20k contacts, 2k opportunities); default 1",
    )
    parser.add_argument("--seed", type=int, default=42, help="random seed; default 42")
    parser.add_argument(
        "--batch",
        type=int,
        default=None,
        help=f"write the delta of day K after as_of (1..{BATCH_HORIZON_DAYS})",
    )
    parser.add_argument(
        "--inconsistency-rate",
        type=float,
        default=1.0,
        help="multiplier on every injection rate (0 = clean); default 1",
    )
    profile.add_arguments(parser)
    args = parser.parse_args(argv)
    from simulator import generate

    try:
        truth = generate(
            args.out,
            scale=args.scale,
            seed=args.seed,
            batch=args.batch,
            inconsistency_rate=args.inconsistency_rate,
            progress=lambda m: print(f"  {m}", file=sys.stderr, flush=True),
            **profile.kwargs_from_args(args),
        )
    except ValueError as exc:
        parser.error(str(exc))
    print(
        f"wrote {args.out}: {truth['people']} people, {truth['opportunities']} opportunities, "
        f"won revenue {truth['won_revenue_usd']:,.2f} USD"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
