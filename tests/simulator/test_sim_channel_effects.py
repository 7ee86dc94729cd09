"""The causal model of conversion (channel_effects): the truth is the simulator's own state.

Every expectation is a property of the model (a channel with effect 0 loses no conversion; the
largest effect with the same presence loses the most; removing nothing changes nothing; the
same seed writes the same truth), never a figure copied from an output.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from sim_companies import Companies

from simulator import causal, generate
from simulator.channel_effects import PRESETS, parse
from simulator.config import AS_OF, SimConfig
from simulator.fx import load_rates
from simulator.profile import add_arguments, build_profile, kwargs_from_args
from simulator.world import World, build_world

SCALE = 0.1
SEED = 7
#: events lifts the win rate by 0.3 and is in half the journeys; display changes nothing and is
#: in most of them (the zero-effect case); social a small lift.
SPEC = "base=0.1,events=0.3@0.5,display=0@0.8,social=0.05@0.5"


def _world(spec: str | None) -> World:
    shape = build_profile(channel_effects=spec)
    cfg = SimConfig(scale=SCALE, seed=SEED, inconsistency_rate=0.0, profile=shape)
    return build_world(cfg, load_rates())


@pytest.fixture(scope="module")
def world() -> World:
    return _world(SPEC)


@pytest.fixture(scope="module")
def truth(simulate: Companies) -> dict:
    _, truth = simulate(
        "channel_effects", scale=SCALE, seed=SEED, inconsistency_rate=0.0, channel_effects=SPEC
    )
    return truth


def test_removing_no_channel_reproduces_every_decided_opportunity(world: World):
    model = world.cfg.profile.channel_effects
    draws = world.causal_draws
    assert model is not None and draws is not None and len(draws) > 50
    x = draws[list(model.channels)].to_numpy(dtype=bool)
    planned = world.opps["won"].to_numpy()[draws["opp"].to_numpy()]
    assert np.array_equal(causal.wins(model, draws["u"].to_numpy(), x), planned)
    # the wins do depend on the exposure: without every channel some are lost, none gained
    without = causal.wins(model, draws["u"].to_numpy(), x, frozenset(model.channels))
    assert not (without & ~planned).any()
    assert (planned & ~without).sum() > 0


def test_exposed_opportunities_win_more_often(world: World):
    """The plan's own outcomes (not the truth's arithmetic): events lifts the win rate."""
    draws = world.causal_draws
    assert draws is not None
    won = world.opps["won"].to_numpy()[draws["opp"].to_numpy()]
    events = draws["events"].to_numpy(dtype=bool)
    assert won[events].mean() > won[~events].mean() + 0.1


def test_every_exposure_in_the_period_is_a_session(world: World):
    plain = _world(None)
    model = world.cfg.profile.channel_effects
    assert model is not None
    # the default session plan is unchanged; one session is added per exposure in the period
    assert len(world.sessions.t) > len(plain.sessions.t)
    assert np.isin(plain.sessions.t, world.sessions.t).all()
    assert (np.diff(world.sessions.t) >= 0).all()


def test_zero_effect_channel_has_no_share_and_the_dominant_the_largest(truth: dict):
    block = truth["channel_effects"]
    by = block["by_channel"]
    assert by["display"]["exposed_opportunities"] > by["events"]["exposed_opportunities"] > 0
    assert by["display"]["lost_conversions"] == 0
    assert by["display"]["true_share"] == 0
    assert by["display"]["expected_share"] == 0
    assert by["events"]["true_share"] > by["social"]["true_share"] > 0
    assert by["events"]["expected_share"] > by["social"]["expected_share"]
    assert sum(v["true_share"] for v in by.values()) == pytest.approx(1)
    # a conversion lost without one channel is lost without all of them (effects are >= 0)
    lost_without_all = block["conversions"] - block["conversions_without_any_channel"]
    assert all(0 <= v["lost_conversions"] <= lost_without_all for v in by.values())
    assert block["model"]["channels"]["events"] == {"effect": 0.3, "presence": 0.5}


def test_truth_counts_only_live_opportunities_closed_before_as_of(world: World):
    model = world.cfg.profile.channel_effects
    assert model is not None and world.causal_draws is not None
    block = causal.incremental_truth(model, world.causal_draws, world.opps, AS_OF)
    closed = world.opps["close_t"].to_numpy()[world.causal_draws["opp"].to_numpy()] < AS_OF
    assert 0 < block["opportunities"] == closed.sum() < len(world.causal_draws)


def test_same_seed_same_truth_byte_for_byte(tmp_path: Path):
    for name in ("a", "b"):
        generate(tmp_path / name, scale=0.03, seed=SEED, channel_effects="dominant")
    for name in ("ground_truth.json", "web/sessions.csv", "salesforce/opportunity.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_presets_have_the_promised_shapes():
    dominant = {e.channel: e for e in PRESETS["dominant"].effects}
    top = max(dominant.values(), key=lambda e: e.effect)
    assert all(e.effect < top.effect / 2 for e in dominant.values() if e is not top)
    a, b = PRESETS["equal"].effects
    assert (a.effect, a.presence) == (b.effect, b.presence) and a.channel != b.channel
    zero = [e for e in PRESETS["zero-effect"].effects if e.effect == 0]
    assert zero and all(e.presence >= 0.5 for e in zero)


def test_default_company_has_no_causal_model(tmp_path: Path):
    truth = generate(tmp_path, scale=0.01, seed=SEED)
    assert "channel_effects" not in truth
    assert "channel_effects" not in truth["profile"]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("bogus", "neither a preset"),
        ("tiktok=0.1@0.5", "unknown channel 'tiktok'"),
        ("events=0.1", "EFFECT@PRESENCE"),
        ("events=1.5@0.5", "the effect of events must be in [0.0, 1.0]"),
        ("events=0.1@0", "the presence of events must be in (0.0, 1.0]"),
        ("events=0.1@x", "the presence of events must be a number"),
        ("events=0.1@0.5,events=0.2@0.5", "given twice"),
        ("base=0.5,events=0.4@0.5,social=0.2@0.5", "above 1"),
        ("base=2", "base must be in"),
        ("", "at least one channel"),
        (3, "preset name or a spec"),
    ],
)
def test_invalid_models_name_the_option(value: object, message: str):
    with pytest.raises(ValueError, match="channel_effects") as err:
        parse(value)
    assert message in str(err.value)


def test_generate_and_the_command_line_reject_a_bad_model(tmp_path: Path):
    with pytest.raises(ValueError, match="channel_effects"):
        generate(tmp_path, scale=0.01, channel_effects="dominantt")
    result = subprocess.run(
        [sys.executable, "-m", "simulator", "--out", str(tmp_path), "--channel-effects", "x=1@1"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2 and "channel_effects: unknown channel 'x'" in result.stderr


def test_command_line_option():
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    assert kwargs_from_args(parser.parse_args([]))["channel_effects"] is None
    args = parser.parse_args(["--channel-effects", "equal"])
    assert kwargs_from_args(args)["channel_effects"] == "equal"
    text = parser.format_help()
    assert "--channel-effects" in text and all(name in text for name in PRESETS)
