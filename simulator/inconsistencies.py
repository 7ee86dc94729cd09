"""Choosing the rows that receive an injected disagreement.

Each injection draws from its own random stream, so changing one rate does not reshuffle the
others, and picks at least one eligible row whenever its effective rate is positive (so every
rule fires even at small scales), none when the rate is 0.
"""

from __future__ import annotations

import numpy as np

from simulator.rng import stream


def pick(seed: int, name: str, eligible: np.ndarray, rate: float) -> np.ndarray:
    """Sorted indices chosen from ``eligible`` (share ``rate``, at least one if rate > 0)."""
    eligible = np.asarray(eligible, dtype=np.int64)
    if rate <= 0 or len(eligible) == 0:
        return np.array([], dtype=np.int64)
    k = min(len(eligible), max(1, round(rate * len(eligible))))
    rng = stream(seed, "inject", name)
    return np.sort(rng.choice(eligible, size=k, replace=False))


def count(rate: float, base: float, maximum: int | None = None) -> int:
    """How many things to inject: rate x base, at least one if rate > 0."""
    if rate <= 0:
        return 0
    k = max(1, round(rate * base))
    return k if maximum is None else min(k, maximum)


def rng_for(seed: int, name: str) -> np.random.Generator:
    return stream(seed, "inject", name, "values")


class Injected(dict[str, int]):
    """Per-injection counts of rows changed (reported in ground_truth.json)."""

    def add(self, name: str, n: int) -> None:
        self[name] = self.get(name, 0) + int(n)
