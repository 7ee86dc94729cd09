"""The noise floor: the warehouse's Shapley estimator given the simulator's own exposures.

For each seed the company is planned exactly as ``python -m benchmarks.attribution_truth``
generates it (same scale, seed, inconsistency rate and channel effects), but nothing is
written or built: the estimator of fct_attribution_channel_effects (diagnose.signed_shares:
least squares of won on 1 and one 0/1 column per channel with the ridge, share = lift x deals
touched over the signed sum; a 90% percentile bootstrap over the opportunities) runs on the
very New Business opportunities the true share is counted on, with their true exposure to
each channel of the model instead of the touches the warehouse sees. What it misses is the
sampling noise of a company of that size, which no estimator of the warehouse can beat: the
floor under the warehouse's errors, measured on the same opportunities.

python -m benchmarks.attribution_truth.oracle --profile dominant --seeds 100
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass

import numpy as np

from benchmarks.attribution_truth.diagnose import signed_shares
from simulator.causal import incremental_truth
from simulator.channel_effects import PRESETS
from simulator.config import AS_OF, NEVER, SimConfig
from simulator.fx import load_rates
from simulator.profile import build_profile
from simulator.world import build_world

#: The warehouse's default (var attribution_bootstrap_draws).
DRAWS = 200


@dataclass(frozen=True)
class Estimate:
    share: np.ndarray
    lower: np.ndarray
    upper: np.ndarray


def estimate(x: np.ndarray, won: np.ndarray, draws: int = DRAWS, seed: int = 0) -> Estimate:
    """Point shares and their 90% bootstrap interval (draws without a share left out)."""
    n = len(won)
    share = signed_shares(x, won, np.ones(n))
    rng = np.random.default_rng(seed)
    boot = []
    for _ in range(draws):
        weight = np.bincount(rng.integers(0, n, n), minlength=n).astype(float)
        s = signed_shares(x, won, weight)
        if s is not None:
            boot.append(s)
    nan = np.full(x.shape[1], np.nan)
    if not boot:
        return Estimate(nan if share is None else share, nan, nan)
    b = np.array(boot)
    return Estimate(
        nan if share is None else share,
        np.percentile(b, 5, axis=0),
        np.percentile(b, 95, axis=0),
    )


def company(
    profile: str, seed: int, scale: float, inconsistency_rate: float
) -> tuple[dict[str, float], np.ndarray, np.ndarray]:
    """(true shares, exposure matrix, won flags) of one company, from the simulator's plan:
    the opportunities incremental_truth counts (closed before the as-of, not deleted)."""
    rates = load_rates()
    shape = build_profile(channel_effects=profile, seed_currencies=rates.days)
    cfg = SimConfig(scale=scale, seed=seed, inconsistency_rate=inconsistency_rate, profile=shape)
    world = build_world(cfg, rates)
    model = shape.channel_effects
    assert model is not None and world.causal_draws is not None
    draws, opps = world.causal_draws, world.opps
    rows = draws["opp"].to_numpy()
    keep = (opps["close_t"].to_numpy()[rows] < AS_OF) & (opps["del_s"].to_numpy()[rows] >= NEVER)
    d = draws[keep]
    truth = incremental_truth(model, draws, opps, AS_OF)["by_channel"]
    x = d[list(model.channels)].to_numpy(dtype=bool)
    won = opps["won"].to_numpy()[d["opp"].to_numpy()].astype(bool)
    return {c: truth[c]["true_share"] for c in model.channels}, x, won


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.attribution_truth.oracle",
        description="The Shapley share and its 90%% interval computed from the simulator's own "
        "exposures (no warehouse): the sampling-noise floor of the benchmark's figures.",
    )
    parser.add_argument("--profile", default=",".join(PRESETS), help="presets or one spec")
    parser.add_argument("--seeds", type=int, default=100, help="seeds per profile (default 100)")
    parser.add_argument("--first-seed", type=int, default=1)
    parser.add_argument("--scale", type=float, default=1.0, help="company size (default 1)")
    parser.add_argument("--inconsistency-rate", type=float, default=0.0)
    args = parser.parse_args(argv)
    profiles = [args.profile] if "=" in args.profile else args.profile.split(",")
    for profile in profiles:
        errors, covered, within, widths = [], [], [], []
        per: dict[str, list[tuple[float, float, bool]]] = {}
        for seed in range(args.first_seed, args.first_seed + args.seeds):
            truth, x, won = company(profile, seed, args.scale, args.inconsistency_rate)
            est = estimate(x, won)
            for k, (channel, t) in enumerate(truth.items()):
                share, lo, hi = float(est.share[k]), float(est.lower[k]), float(est.upper[k])
                hit = bool(lo <= t <= hi)
                errors.append(abs(share - t))
                within.append(abs(share - t) <= 0.03)
                covered.append(hit)
                widths.append(hi - lo)
                per.setdefault(channel, []).append((t, share, hit))
            print(f"  {profile} seed {seed}", file=sys.stderr, flush=True)
        n = len(errors)
        print(
            f"{profile}: {args.seeds} seeds, scale {args.scale}; shares from the true "
            f"exposures: mean error {100 * np.mean(errors):.1f} pp, max "
            f"{100 * np.max(errors):.1f}, within 3 pp {sum(within)}/{n}; 90% interval "
            f"coverage {sum(covered)}/{n} ({np.mean(covered):.0%}), mean width "
            f"{np.mean(widths):.3f}"
        )
        for channel, rows in per.items():
            a = np.array(rows, dtype=float)
            print(
                f"  {channel:<10} truth {a[:, 0].mean():.3f}  share {a[:, 1].mean():.3f}  "
                f"coverage {int(a[:, 2].sum())}/{len(a)}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
