"""benchmarks/attribution_truth/oracle.py: the estimator on the simulator's own exposures."""

from __future__ import annotations

import json

import numpy as np
import pytest

from benchmarks.attribution_truth.ideal import expected_shares
from benchmarks.attribution_truth.oracle import company, estimate
from simulator import generate
from simulator.channel_effects import PRESETS


def test_estimate_recovers_the_shares_of_a_large_population():
    model = PRESETS["dominant"]
    rng = np.random.default_rng(7)
    n = 40_000
    presence = np.array([e.presence for e in model.effects])
    effect = np.array([e.effect for e in model.effects])
    x = rng.random((n, len(presence))) < presence
    won = rng.random(n) < model.base + x @ effect
    est = estimate(x, won, draws=50)
    truth = expected_shares(model)
    for k, channel in enumerate(model.channels):
        assert est.share[k] == pytest.approx(truth[channel], abs=0.03)
        assert est.lower[k] <= est.share[k] <= est.upper[k]
    assert est.share.sum() == pytest.approx(1.0)


def test_estimate_keeps_a_negative_share():
    # a channel that lowers the win rate keeps its negative share (the warehouse's signed sum)
    rng = np.random.default_rng(3)
    x = rng.random((20_000, 2)) < 0.5
    won = rng.random(20_000) < 0.3 + 0.3 * x[:, 0] - 0.1 * x[:, 1]
    est = estimate(x, won, draws=20)
    assert est.share[1] < 0 < est.share[0]
    assert est.share.sum() == pytest.approx(1.0)


def test_oracle_counts_the_truth_of_the_company_the_benchmark_generates(tmp_path):
    # the same plan as benchmarks/attribution_truth/warehouse.py's generate() call
    generate(tmp_path, scale=0.05, seed=4, inconsistency_rate=0.0, channel_effects="equal")
    written = json.loads((tmp_path / "ground_truth.json").read_text())["channel_effects"]
    truth, x, won = company("equal", 4, 0.05, 0.0)
    assert truth == {c: v["true_share"] for c, v in written["by_channel"].items()}
    assert len(won) == written["opportunities"] == len(x)
    assert int(won.sum()) == written["conversions"]
