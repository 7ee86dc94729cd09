"""Why the shares miss the truth: the same models (first-order Markov removal effects on
every journey with a touch; Shapley values of the least-squares worth fitted on the New
Business opportunities created since the touch history began, touched or not, and the signed
share; docs/attribution.md data_driven_attribution)
recomputed in Python on subsets of the warehouse's own journeys (``fct_attribution_journeys``,
scope marketing), and ``shapley_subset``, the Shapley model before 2026-12-05 (worth = the
conversion rate of the journeys with a touch whose channel set is within S, v(empty) = 0, on
every journey with a touch). Variant ``all`` reproduces the warehouse (a check of this
reimplementation); the others remove one cause of error at a time:

- ``new_business``: only New Business opportunities and idle accounts (renewals and
  expansions of customers, which the causal model does not decide, left out);
- ``new_business_model_channels``: the same, keeping only touches of the model's channels
  (the demo's usual sessions, email clicks and forms are causally inert);
- ``model_channels``: every journey, model channels only;
- ``nb_opportunities_only``: New Business opportunities without the idle accounts (whose
  exposures can never convert: the causal model decides wins, not whether a deal exists);
- ``nb_opportunities_model_channels``: the same, model channels only (closest to ideal.py).

A diagnostic, not a product: the warehouse's SQL is the implementation.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import pairwise
from math import factorial
from pathlib import Path

import duckdb
import numpy as np

START, CONVERSION, NULL = "(start)", "(conversion)", "(null)"
Journey = tuple[bool, list[str]]


#: The ridge the warehouse adds to each channel's diagonal (var attribution_shapley_ridge).
RIDGE = 1.0


#: The kind of a New Business opportunity created before the scope's touch history began
#: (fct_attribution_journeys.is_before_touch_history): Markov learns from it, Shapley does not.
BEFORE_HISTORY = "New Business, before the touch history"


def read_journeys(db: Path, scope: str = "marketing") -> dict[str, list[tuple[str, Journey]]]:
    """kind -> [(journey id, (converting, channels in touch order))]; kind is the
    opportunity type (BEFORE_HISTORY for a New Business opportunity created before the
    scope's touch history began), or 'account' for an idle account; a journey without a touch
    of the scope has no channel."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute(
            "select j.journey_id, case when j.is_before_touch_history"
            " and o.opportunity_type = 'New Business' then ?"
            " else coalesce(o.opportunity_type, j.journey_kind) end, j.is_converting,"
            " j.touch_position, j.channel"
            " from marts.fct_attribution_journeys j"
            " left join marts.fct_opportunities o on o.opportunity_id = j.journey_id"
            " where j.scope = ?"
            " order by j.journey_id, j.touch_position",
            [BEFORE_HISTORY, scope],
        ).fetchall()
    finally:
        con.close()
    journeys: dict[str, tuple[str, bool, list[str]]] = {}
    for jid, kind, converting, _, channel in rows:
        path = journeys.setdefault(jid, (str(kind), bool(converting), []))[2]
        if channel is not None:
            path.append(str(channel))
    out: dict[str, list[tuple[str, Journey]]] = defaultdict(list)
    for jid, (kind, converting, channels) in journeys.items():
        out[kind].append((jid, (converting, channels)))
    return out


def markov_shares(journeys: list[Journey]) -> dict[str, float]:
    """First-order removal-effect shares (the absorbing probability solved exactly); journeys
    without a touch say nothing."""
    journeys = [j for j in journeys if j[1]]
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for converting, path in journeys:
        states = [START, *path, CONVERSION if converting else NULL]
        for a, b in pairwise(states):
            counts[a][b] += 1
    channels = sorted({c for _, p in journeys for c in p})

    def p_conversion(removed: str | None) -> float:
        states = [START, *[c for c in channels if c != removed]]
        index = {s: i for i, s in enumerate(states)}
        n = len(states)
        q, r = np.zeros((n, n)), np.zeros(n)
        for a in states:
            total = sum(counts[a].values())
            for b, k in counts[a].items():
                if b == CONVERSION:
                    r[index[a]] += k / total
                elif b in index:
                    q[index[a], index[b]] += k / total
        # x = Q x + r: the chance of absorption in (conversion) from each state
        x = np.linalg.solve(np.eye(n) - q, r)
        return float(x[0])

    base = p_conversion(None)
    effects = {c: (1 - p_conversion(c) / base) if base > 0 else 0.0 for c in channels}
    total = sum(effects.values())
    return {c: e / total if total > 0 else 0.0 for c, e in effects.items()}


def positive_shares(values: dict[str, float]) -> dict[str, float]:
    """Positive values over their sum; a negative value counts 0."""
    total = sum(max(v, 0.0) for v in values.values())
    return {c: max(v, 0.0) / total if total > 0 else 0.0 for c, v in values.items()}


def lift_fit(
    x: np.ndarray, won: np.ndarray, weight: np.ndarray, ridge: float = RIDGE
) -> np.ndarray:
    """The warehouse's fit: least squares of won on 1 and the 0/1 channel columns ``x``
    (opportunities x channels), each opportunity counted ``weight`` times, ``ridge`` added to
    each channel's diagonal. Returns [b0, b_1, ..]."""
    design = np.column_stack([np.ones(len(x)), x.astype(float)])
    weighted = design * weight[:, None]
    gram = weighted.T @ design + np.diag([0.0] + [ridge] * x.shape[1])
    return np.linalg.solve(gram, weighted.T @ won.astype(float))


def signed_shares(
    x: np.ndarray, won: np.ndarray, weight: np.ndarray, ridge: float = RIDGE
) -> np.ndarray | None:
    """The warehouse's shapley_share: each channel's lift times the (weighted) opportunities
    it touched, over the signed sum; None when the channels add nothing in sum (its null)."""
    added = lift_fit(x, won, weight, ridge)[1:] * (x * weight[:, None]).sum(axis=0)
    total = added.sum()
    return added / total if total > 0 else None


def _matrix(journeys: list[Journey]) -> tuple[list[str], np.ndarray, np.ndarray]:
    channels = sorted({c for _, p in journeys for c in p})
    x = np.array([[c in p for c in channels] for _, p in journeys], dtype=bool)
    won = np.array([converting for converting, _ in journeys], dtype=bool)
    return channels, x.reshape(len(journeys), len(channels)), won


def shapley_values(journeys: list[Journey], ridge: float = RIDGE) -> dict[str, float]:
    """The warehouse's Shapley values (lift_fit over every journey given, touched or not):
    v(S) = b0 + the sum of b_c over S, so the Shapley value of c is b_c."""
    if not journeys:
        return {}
    channels, x, won = _matrix(journeys)
    beta = lift_fit(x, won, np.ones(len(won)), ridge)
    return {c: float(b) for c, b in zip(channels, beta[1:], strict=True)}


def shapley_shares(journeys: list[Journey], ridge: float = RIDGE) -> dict[str, float]:
    """The warehouse's shapley_share (journeys: the learning New Business opportunities),
    signed; every share 0 when the sum is not positive (the warehouse's null)."""
    if not journeys:
        return {}
    channels, x, won = _matrix(journeys)
    shares = signed_shares(x, won, np.ones(len(won)), ridge)
    if shares is None:
        return dict.fromkeys(channels, 0.0)
    return {c: float(v) for c, v in zip(channels, shares, strict=True)}


def subset_shapley_shares(journeys: list[Journey]) -> dict[str, float]:
    """The model before 2026-12-05: exact Shapley values of v(S) = conversion rate of the
    journeys with a touch whose channel set is within S (0 when none, so v(empty) = 0);
    negative values count 0 in the shares."""
    journeys = [j for j in journeys if j[1]]
    channels = sorted({c for _, p in journeys for c in p})
    n = len(channels)
    bit = {c: 1 << i for i, c in enumerate(channels)}
    by_mask: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for converting, path in journeys:
        mask = 0
        for c in path:
            mask |= bit[c]
        by_mask[mask][0] += 1
        by_mask[mask][1] += int(converting)
    masks = np.array(list(by_mask), dtype=np.int64)
    sizes = np.array([v[0] for v in by_mask.values()])
    wins = np.array([v[1] for v in by_mask.values()])
    worth = np.zeros(1 << n)
    for s in range(1 << n):
        inside = (masks & ~s) == 0
        total = sizes[inside].sum()
        worth[s] = wins[inside].sum() / total if total else 0.0
    weight = [factorial(k) * factorial(n - k - 1) / factorial(n) for k in range(n)]
    values = {}
    for c in channels:
        b = bit[c]
        values[c] = float(
            sum(
                weight[bin(s).count("1")] * (worth[s | b] - worth[s])
                for s in range(1 << n)
                if not s & b
            )
        )
    return positive_shares(values)


def variants(
    by_kind: dict[str, list[tuple[str, Journey]]], model_channels: set[str]
) -> dict[str, list[Journey]]:
    everything = [j for rows in by_kind.values() for _, j in rows]
    new_business = [j for kind in ("New Business", "account") for _, j in by_kind.get(kind, [])]

    def model_only(js: list[Journey]) -> list[Journey]:
        return [(conv, [c for c in path if c in model_channels]) for conv, path in js]

    opportunities = [j for _, j in by_kind.get("New Business", [])]
    return {
        "all": everything,
        "new_business": new_business,
        "new_business_model_channels": model_only(new_business),
        "model_channels": model_only(everything),
        "nb_opportunities_only": opportunities,
        "nb_opportunities_model_channels": model_only(opportunities),
    }


def diagnose(db: Path, model_channels: set[str]) -> dict[str, dict[str, dict[str, float]]]:
    """variant -> model -> channel -> share. Each model takes the variant's journeys by its
    own rule, as the warehouse does: markov and shapley_subset those with a touch, shapley
    the New Business opportunities (touched or not)."""
    by_kind = read_journeys(db)
    new_business = variants({"New Business": by_kind.get("New Business", [])}, model_channels)
    out = {}
    for name, journeys in variants(by_kind, model_channels).items():
        out[name] = {
            "markov": markov_shares(journeys),
            "shapley": shapley_shares(new_business[name]),
            "shapley_subset": subset_shapley_shares(journeys),
        }
    return out
