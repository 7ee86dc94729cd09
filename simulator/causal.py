"""The causal model in the plan: exposures, their web sessions, and the true incremental shares.

simulator/channel_effects.py describes the model. Here:

- ``plan_exposure``: which inbound people are exposed to which channel (a stream of its own);
- ``exposure_sessions``: one web session per exposure, the warehouse's evidence of it: before
  the person's New Business opportunity was created (inside its attribution window), else in
  the 60 days after the person appeared;
- ``incremental_truth``: from the simulator's own state - every closed New Business
  opportunity's uniform draw u and its exposure - the conversions that would be lost without
  each channel with the same draws (common random numbers): won = u < P(X), won without c =
  u < P(X minus c). The true incremental share of c is lost_c / sum of lost. Nothing is read
  from the warehouse.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from simulator.ads_web import CHANNEL_INDEX, SessionPlan
from simulator.channel_effects import ChannelEffects
from simulator.config import DAY, HORIZON_END, HOUR, NEVER, PERIOD_START
from simulator.rng import stream

#: Exposures of people without a New Business opportunity fall this long after they appeared;
#: those with one, this long before it was created (inside the 90-day lookback).
EXPOSURE_SPAN = 60 * DAY


def plan_exposure(
    seed: int, model: ChannelEffects, n_people: int, inbound_pids: np.ndarray
) -> np.ndarray:
    """(people x channels of the model) booleans: who is exposed to which channel."""
    rng = stream(seed, "channel_effects", "exposure")
    presence = np.array([e.presence for e in model.effects])
    out = np.zeros((n_people, len(presence)), dtype=bool)
    out[inbound_pids] = rng.random((len(inbound_pids), len(presence))) < presence
    return out


def exposure_sessions(
    seed: int,
    model: ChannelEffects,
    exposure: np.ndarray,
    appeared_t: np.ndarray,
    opportunity_t: dict[int, int],
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(t, person, channel index) of one session per exposure."""
    rng = stream(seed, "channel_effects", "sessions")
    pids, cols = np.nonzero(exposure)
    lag = rng.integers(HOUR, EXPOSURE_SPAN, len(pids))
    opp_t = np.array([opportunity_t.get(int(p), NEVER) for p in pids], dtype=np.int64)
    t = np.where(opp_t < NEVER, opp_t - lag, appeared_t[pids] + lag)
    channel = np.array([CHANNEL_INDEX[model.effects[c].channel] for c in cols], dtype=np.int64)
    return t.astype(np.int64), pids.astype(np.int64), channel


def add_sessions(
    plan: SessionPlan, t: np.ndarray, person: np.ndarray, channel: np.ndarray
) -> SessionPlan:
    """The plan with identified sessions of known people added, sorted by time (stable)."""
    keep = (t >= PERIOD_START) & (t < HORIZON_END)
    t, person, channel = t[keep], person[keep], channel[keep]
    n = len(t)
    all_t = np.concatenate([plan.t, t])
    order = np.argsort(all_t, kind="stable")

    def cat(old: np.ndarray, new: np.ndarray) -> np.ndarray:
        return np.concatenate([old, new])[order]

    return SessionPlan(
        t=all_t[order],
        person=cat(plan.person, person),
        visitor=cat(plan.visitor, np.full(n, -1, dtype=np.int64)),
        channel=cat(plan.channel, channel),
        identified=cat(plan.identified, np.ones(n, dtype=bool)),
        form_page=cat(plan.form_page, np.full(n, -1, dtype=np.int64)),
        source_override=cat(plan.source_override, np.full(n, "", dtype=object)),
        medium_override=cat(plan.medium_override, np.full(n, "", dtype=object)),
        no_id=cat(plan.no_id, np.zeros(n, dtype=bool)),
    )


def wins(
    model: ChannelEffects,
    u: np.ndarray,
    exposure: np.ndarray,
    removed: frozenset[str] = frozenset(),
) -> np.ndarray:
    """Won flags of opportunities with draws ``u`` and exposure rows, ``removed`` channels
    taken out of the company (their exposures never happened)."""
    effect = np.array([0.0 if e.channel in removed else e.effect for e in model.effects])
    p = model.base + (exposure.astype(float) @ effect if len(effect) else 0.0)
    return u < p


def incremental_truth(
    model: ChannelEffects, draws: pd.DataFrame, opps: pd.DataFrame, as_of: int
) -> dict[str, object]:
    """ground_truth.json["channel_effects"].

    ``draws``: one row per New Business opportunity the model decided (``opp``, ``u``, and one
    boolean column per channel of the model, its primary person's exposure). Counted are the
    live ones closed before ``as_of`` (the conversions and non-conversions the company has
    exported); ``conversions`` are those won.
    """
    closed = opps["close_t"].to_numpy()[draws["opp"].to_numpy()] < as_of
    live = opps["del_s"].to_numpy()[draws["opp"].to_numpy()] >= NEVER
    d = draws[closed & live]
    u = d["u"].to_numpy()
    x = d[list(model.channels)].to_numpy(dtype=bool)
    won = wins(model, u, x)
    recorded = opps["won"].to_numpy()[d["opp"].to_numpy()]
    if not np.array_equal(won, recorded):  # the plan decided them so: a bug if not
        raise AssertionError("channel_effects: the causal model does not reproduce the wins")
    lost = {c: int((won & ~wins(model, u, x, frozenset({c}))).sum()) for c in model.channels}
    expected = {e.channel: float(e.effect * x[:, k].sum()) for k, e in enumerate(model.effects)}
    total, total_expected = sum(lost.values()), sum(expected.values())
    return {
        "model": model.block(),
        "opportunities": len(d),
        "conversions": int(won.sum()),
        "conversions_without_any_channel": int(wins(model, u, x, frozenset(model.channels)).sum()),
        "by_channel": {
            e.channel: {
                "exposed_opportunities": int(x[:, k].sum()),
                "lost_conversions": lost[e.channel],
                "true_share": lost[e.channel] / total if total else 0.0,
                "expected_lost_conversions": expected[e.channel],
                "expected_share": expected[e.channel] / total_expected if total_expected else 0.0,
            }
            for k, e in enumerate(model.effects)
        },
    }
