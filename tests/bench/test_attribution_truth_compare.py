"""The attribution-truth benchmark's arithmetic (benchmarks/attribution_truth/compare.py), on
hand-made truth and shares: no company is generated or built here."""

from __future__ import annotations

import json
import re

import pytest

from benchmarks.attribution_truth.cli import link_worker, main, profiles
from benchmarks.attribution_truth.compare import (
    compare_company,
    diagnosis_errors,
    merge,
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


def _run(seeds: list[int], intervals: dict = INTERVALS, profile: str = "dominant") -> dict:
    """A benchmark result as cli.run_profile writes it (no diagnosis), one company per seed."""
    companies = [compare_company(BLOCK, EFFECTS, intervals) for _ in seeds]
    return {
        "profile": profile,
        "spec": profile,
        "scale": 1.0,
        "inconsistency_rate": 0.0,
        "model": {},
        "summary": summarise(companies),
        "diagnosis": {},
        "seeds": [
            {"seed": n, "channels": c, "diagnosis": None}
            for n, c in zip(seeds, companies, strict=True)
        ],
    }


def test_merge_summarises_the_runs_seeds_together():
    # the second run's intervals miss events' truth: the merged coverage lies between the two
    missing = {k: v for k, v in INTERVALS.items() if k != ("shapley", "events")}
    merged = merge([_run([3, 4]), _run([1], missing)])
    assert [s["seed"] for s in merged["seeds"]] == [1, 3, 4]
    assert merged["summary"]["seeds"] == 3
    alone = [summarise([compare_company(BLOCK, EFFECTS, i)]) for i in (INTERVALS, missing)]
    events = [a["channels"]["events"]["shapley_credit_share"] for a in alone]
    assert events[0] != events[1]
    assert merged["summary"]["channels"]["events"]["shapley_credit_share"] == pytest.approx(
        (2 * events[0] + events[1]) / 3
    )


@pytest.mark.parametrize(
    ("runs", "message"),
    [
        ([_run([1, 2]), _run([2, 3])], "seed(s) [2]"),
        ([_run([1]), _run([2], profile="equal")], "different settings"),
        ([], "nothing to merge"),
    ],
)
def test_merge_refuses_repeated_seeds_and_other_settings(runs, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        merge(runs)


def test_cli_merge_writes_the_union_and_names_the_problem(tmp_path, capsys):
    paths = []
    for name, seeds in (("a", [1, 2]), ("b", [3]), ("c", [3])):
        paths.append(tmp_path / f"{name}.json")
        paths[-1].write_text(json.dumps(_run(seeds)))
    assert main(["--merge", str(paths[0]), str(paths[1]), "--out", str(tmp_path / "out")]) == 0
    written = json.loads((tmp_path / "out" / "dominant.json").read_text())
    assert [s["seed"] for s in written["seeds"]] == [1, 2, 3]
    assert "3 seed(s)" in capsys.readouterr().out
    assert main(["--merge", str(paths[1]), str(paths[2]), "--out", str(tmp_path / "x")]) == 2
    assert "seed(s) [3]" in capsys.readouterr().err


def test_runs_side_by_side_link_their_warehouses_apart(tmp_path, monkeypatch):
    import benchmarks.attribution_truth.cli as cli
    from tests.parse_once import worker_dir

    seen = []
    monkeypatch.setattr(cli, "run_profile", lambda args, profile: seen.append(worker_dir()))
    monkeypatch.setattr(cli, "_print", lambda result, out: None)
    monkeypatch.setenv("PYTEST_XDIST_WORKER", "gw0")
    for out in ("a", "b", "a"):
        assert main(["--profile", "dominant", "--out", str(tmp_path / out)]) == 0
    # each --out its own link folder (a run beside another never repoints its links), the
    # same one again for the same --out
    assert seen[0] != seen[1] and seen[0] == seen[2]
    assert link_worker(tmp_path / "a") in str(seen[0])
    for folder in set(seen):
        folder.rmdir()


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
    # the dbt unit test channel_effects_shapley_signed_share: b0 = 1/2, b_a = 1/2 on four
    # deals, b_c = -1/2 on one: deals added 2 and -1/2, signed shares 4/3 and -1/3 (a
    # negative value is not dropped: with it counted 0, a would get 1)
    signed = [(False, []), (True, []), *[(True, ["a"])] * 4, (False, ["c"])]
    assert shapley_shares(signed, ridge=0) == {
        "a": pytest.approx(4 / 3),
        "c": pytest.approx(-1 / 3),
    }
    # nothing added in sum: no share (the warehouse's null), every channel 0
    assert shapley_shares([(True, []), (False, ["a"])], ridge=0) == {"a": 0.0}


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
