"""The attribution-truth benchmark's arithmetic (benchmarks/attribution_truth/compare.py), on
hand-made truth and shares: no company is generated or built here."""

from __future__ import annotations

import pytest

from benchmarks.attribution_truth.cli import profiles
from benchmarks.attribution_truth.compare import (
    compare_company,
    diagnosis_errors,
    summarise,
    table,
)
from benchmarks.attribution_truth.diagnose import (
    markov_shares,
    shapley_shares,
    shapley_values,
    subset_shapley_shares,
)
from benchmarks.attribution_truth.ideal import expected_shares, journeys
from simulator.channel_effects import PRESETS

BLOCK = {
    "by_channel": {
        "events": {"true_share": 0.75, "expected_share": 0.8},
        "display": {"true_share": 0.25, "expected_share": 0.2},
    }
}
EFFECTS = {
    "events": {"markov": 0.5, "shapley": 0.7},
    "display": {"markov": 0.3, "shapley": 0.0},
    "direct": {"markov": 0.2, "shapley": 0.3},
}
INTERVALS = {
    ("markov", "events"): (0.4, 0.3, 0.8),
    ("shapley", "events"): (0.5, 0.4, 0.6),
    ("markov", "direct"): (0.1, 0.05, 0.2),
    ("markov", "unattributed"): (0.2, 0.1, 0.3),
}


def _by_channel(rows: list[dict]) -> dict[str, dict]:
    return {r["channel"]: r for r in rows}


def test_errors_are_absolute_points_and_outside_channels_have_truth_zero():
    rows = _by_channel(compare_company(BLOCK, EFFECTS, INTERVALS))
    assert set(rows) == {"events", "display", "direct"}  # unattributed is not a channel
    assert rows["events"]["markov_error_pp"] == pytest.approx(25)
    assert rows["events"]["shapley_error_pp"] == pytest.approx(5)
    assert rows["direct"]["truth"] == 0 and not rows["direct"]["in_model"]
    assert rows["direct"]["shapley_error_pp"] == pytest.approx(30)
    assert rows["display"]["expected_truth"] == 0.2


def test_coverage_reads_the_interval_and_a_missing_interval_is_zero():
    rows = _by_channel(compare_company(BLOCK, EFFECTS, INTERVALS))
    assert rows["events"]["markov_covers"] and not rows["events"]["shapley_covers"]
    assert rows["direct"]["markov_covers"] is False  # [0.05, 0.2] misses truth 0
    assert rows["direct"]["shapley_covers"] is True  # no row: [0, 0] covers truth 0
    assert rows["display"]["markov_interval"] == [0.0, 0.0]


def test_summary_over_seeds():
    company = compare_company(BLOCK, EFFECTS, INTERVALS)
    summary = summarise([company, company])
    markov = summary["models"]["markov"]
    assert summary["seeds"] == 2
    assert markov["mean_abs_error_pp"] == pytest.approx((25 + 5 + 20) / 3)
    assert markov["max_abs_error_pp"] == pytest.approx(25)
    assert markov["mean_abs_error_pp_model_channels"] == pytest.approx(15)
    assert markov["coverage"] == pytest.approx(1 / 3)
    assert markov["coverage_model_channels"] == pytest.approx(1 / 2)
    assert summary["channels"]["events"]["truth"] == 0.75
    assert "events*" in table("dominant", summary)


def test_profiles_split_presets_but_keep_a_spec_whole():
    assert profiles("dominant,equal") == ["dominant", "equal"]
    assert profiles("events=0.2@0.4,display=0@0.7") == ["events=0.2@0.4,display=0@0.7"]


#: A -> conversion, B -> null, A then B -> conversion (shares computed by hand below).
JOURNEYS = [(True, ["A"]), (False, ["B"]), (True, ["A", "B"])]


def test_diagnosis_markov_by_hand():
    # P(conv) = 2/3 (1/2 + 1/2 x 1/2) + 1/3 x 1/2 = 2/3; without A 1/6, without B 1/3:
    # removal effects 3/4 and 1/2, shares 0.6 and 0.4
    shares = markov_shares(JOURNEYS)
    assert shares == {"A": pytest.approx(0.6), "B": pytest.approx(0.4)}


def test_diagnosis_subset_shapley_by_hand():
    # the model before 2026-12-05: v(A) = 1, v(B) = 0, v(AB) = 2/3: phi(A) = 5/6,
    # phi(B) = -1/6 (counts 0); a journey without a touch is ignored
    assert subset_shapley_shares([*JOURNEYS, (True, [])]) == {"A": pytest.approx(1.0), "B": 0.0}


def test_diagnosis_shapley_by_hand():
    # no ridge, an untouched lost journey: b0 + b_A = 1, b0 + b_B = 0, b0 + b_A + b_B = 1,
    # b0 = 0 fit exactly: b_A = 1, b_B = 0
    values = shapley_values([*JOURNEYS, (False, [])], ridge=0)
    assert values == {"A": pytest.approx(1.0), "B": pytest.approx(0.0, abs=1e-12)}
    # the dbt unit test channel_effects_shapley_baseline: two untouched (one converts), two
    # with a (both convert), ridge 1: 4 b0 + 2 b_a = 3, 2 b0 + 3 b_a = 2, b_a = 1/4
    baseline = [(True, []), (False, []), (True, ["a"]), (True, ["a"])]
    assert shapley_values(baseline) == {"a": pytest.approx(0.25)}
    assert shapley_shares(baseline) == {"a": pytest.approx(1.0)}
    # the dbt unit test channel_effects_shapley_share: b_a = 1/2 on 2 deals, b_b = 3/4 on 4:
    # deals added 1 and 3, shares 1/4 and 3/4
    weighted = [(False, []), (False, []), (True, ["a"]), (False, ["a"])]
    weighted += [(True, ["b"])] * 3 + [(False, ["b"])]
    assert shapley_shares(weighted, ridge=0) == {
        "a": pytest.approx(0.25),
        "b": pytest.approx(0.75),
    }


def test_diagnosis_errors_per_variant():
    diag = {"all": {"markov": {"events": 0.5, "direct": 0.5}}}
    errors = diagnosis_errors(BLOCK, diag)["all"]["markov"]
    # events 25, display 25 (absent: 0), direct 50 (truth 0)
    assert errors == {"mean_abs_error_pp": pytest.approx(100 / 3), "max_abs_error_pp": 50}


def test_ideal_population_is_drawn_from_the_model():
    model = PRESETS["zero-effect"]
    js = journeys(model, 5_000)
    assert js and any(not path for _, path in js)  # the unexposed: Shapley's baseline
    assert expected_shares(model) == {"events": 1.0, "display": 0.0}
    # display is in ~70% of journeys, events in ~40%: presence as the model says
    touched = [p for _, p in js if p]
    share = {c: sum(c in p for p in touched) / len(touched) for c in model.channels}
    assert share["display"] > share["events"]
