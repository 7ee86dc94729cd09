"""The models' limit with perfect data: what first-order Markov and Shapley (the warehouse's
definitions, recomputed by diagnose.py) and the Shapley model before 2026-12-05
(``shapley_subset``) give on a very large population of journeys drawn from the causal model
itself - New Business opportunities only (the unexposed ones too, without a touch), only the
model's channels, each exposure one touch in random order, no warehouse. Whatever error is
left here is the definitions' own, not the data's or the pipeline's.

python -m benchmarks.attribution_truth.ideal [--journeys N] [--profile NAME,...]
"""

from __future__ import annotations

import argparse
import sys

import numpy as np

from benchmarks.attribution_truth.diagnose import (
    Journey,
    markov_shares,
    shapley_shares,
    subset_shapley_shares,
)
from simulator.channel_effects import PRESETS, ChannelEffects, parse


def journeys(model: ChannelEffects, n: int, seed: int = 0) -> list[Journey]:
    """n New Business opportunities drawn from the model; an unexposed one has no touch (Markov
    and shapley_subset drop it, Shapley's baseline counts it)."""
    rng = np.random.default_rng(seed)
    presence = np.array([e.presence for e in model.effects])
    effect = np.array([e.effect for e in model.effects])
    x = rng.random((n, len(presence))) < presence
    won = rng.random(n) < model.base + x @ effect
    out: list[Journey] = []
    for i in range(n):
        path = [model.channels[k] for k in rng.permutation(np.flatnonzero(x[i]))]
        out.append((bool(won[i]), path))
    return out


def expected_shares(model: ChannelEffects) -> dict[str, float]:
    lift = {e.channel: e.effect * e.presence for e in model.effects}
    total = sum(lift.values())
    return {c: v / total if total else 0.0 for c, v in lift.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.attribution_truth.ideal")
    parser.add_argument("--journeys", type=int, default=100_000)
    parser.add_argument("--profile", default=",".join(PRESETS))
    args = parser.parse_args(argv)
    for name in args.profile.split(","):
        model = parse(name)
        assert model is not None
        js = journeys(model, args.journeys)
        truth = expected_shares(model)
        markov, shapley, subset = markov_shares(js), shapley_shares(js), subset_shapley_shares(js)
        print(f"{name}: {len(js)} journeys, {sum(bool(p) for _, p in js)} with a touch")
        print(f"  {'channel':<10} {'truth':>6} {'markov':>7} {'shapley':>8} {'subset':>7}")
        for c in model.channels:
            print(
                f"  {c:<10} {truth[c]:>6.3f} {markov[c]:>7.3f} {shapley.get(c, 0):>8.3f}"
                f" {subset.get(c, 0):>7.3f}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
