"""The comparison itself: pure functions of the truth block and the warehouse's shares."""

from __future__ import annotations

from statistics import mean
from typing import Any

#: The data-driven models compared.
MODELS = ("markov", "shapley")
#: The warehouse's row for conversions without a touch: not a channel.
UNATTRIBUTED = "unattributed"


def true_shares(block: dict[str, Any], key: str = "true_share") -> dict[str, float]:
    """channel -> true share (ground_truth.json["channel_effects"]["by_channel"])."""
    return {c: float(v[key]) for c, v in block["by_channel"].items()}


def compare_company(
    block: dict[str, Any],
    effects: dict[str, dict[str, float]],
    intervals: dict[tuple[str, str], tuple[float, float, float]],
) -> list[dict[str, Any]]:
    """One row per channel the truth or the warehouse knows (truth 0 for a channel outside
    the causal model: its touches change nothing). Errors are absolute, in percentage points;
    a channel without an interval row has the interval [0, 0] (no credit in any draw)."""
    truth = true_shares(block)
    expected = true_shares(block, "expected_share")
    seen = set(truth) | set(effects) | {c for _, c in intervals}
    rows = []
    for channel in sorted(seen - {UNATTRIBUTED}):
        t = truth.get(channel, 0.0)
        row: dict[str, Any] = {
            "channel": channel,
            "in_model": channel in truth,
            "truth": t,
            "expected_truth": expected.get(channel, 0.0),
        }
        for m in MODELS:
            estimate = effects.get(channel, {}).get(m, 0.0)
            share, lower, upper = intervals.get((m, channel), (0.0, 0.0, 0.0))
            row[m] = estimate
            row[f"{m}_error_pp"] = abs(estimate - t) * 100
            row[f"{m}_credit_share"] = share
            row[f"{m}_interval"] = [lower, upper]
            row[f"{m}_covers"] = lower <= t <= upper
        known = effects.get(channel, {})
        lower, upper = known.get("shapley_lower", 0.0), known.get("shapley_upper", 0.0)
        row["shapley_share_interval"] = [lower, upper]
        row["shapley_share_width"] = upper - lower
        row["shapley_share_covers"] = lower <= t <= upper
        rows.append(row)
    return rows


def summarise(companies: list[list[dict[str, Any]]]) -> dict[str, Any]:
    """Per model: mean and max absolute error (pp) over every seed x channel, the same over
    the model's channels only, the credit share's interval coverage (all channels, model
    channels); for the Shapley share's own interval: coverage and mean width (all channels,
    model channels); per channel the mean truth and estimates."""
    rows = [r for company in companies for r in company]
    in_model = [r for r in rows if r["in_model"]]
    out: dict[str, Any] = {"seeds": len(companies), "models": {}, "channels": {}}
    for m in MODELS:
        out["models"][m] = {
            "mean_abs_error_pp": mean(r[f"{m}_error_pp"] for r in rows) if rows else None,
            "max_abs_error_pp": max((r[f"{m}_error_pp"] for r in rows), default=None),
            "mean_abs_error_pp_model_channels": (
                mean(r[f"{m}_error_pp"] for r in in_model) if in_model else None
            ),
            "max_abs_error_pp_model_channels": max(
                (r[f"{m}_error_pp"] for r in in_model), default=None
            ),
            "coverage": mean(r[f"{m}_covers"] for r in rows) if rows else None,
            "coverage_model_channels": (
                mean(r[f"{m}_covers"] for r in in_model) if in_model else None
            ),
            "within_3pp": mean(r[f"{m}_error_pp"] <= 3 for r in rows) if rows else None,
            # against the expected share (effect x exposed, no draw noise)
            "mean_abs_error_pp_vs_expected": (
                mean(abs(r[m] - r["expected_truth"]) * 100 for r in rows) if rows else None
            ),
        }
    out["shapley_share_interval"] = {
        "coverage": mean(r["shapley_share_covers"] for r in rows) if rows else None,
        "coverage_model_channels": (
            mean(r["shapley_share_covers"] for r in in_model) if in_model else None
        ),
        "mean_width": mean(r["shapley_share_width"] for r in rows) if rows else None,
        "mean_width_model_channels": (
            mean(r["shapley_share_width"] for r in in_model) if in_model else None
        ),
        "channels_x_seeds": len(rows),
    }
    for channel in sorted({r["channel"] for r in rows}):
        mine = [r for r in rows if r["channel"] == channel]
        out["channels"][channel] = {
            "in_model": mine[0]["in_model"],
            "truth": mean(r["truth"] for r in mine),
            **{m: mean(r[m] for r in mine) for m in MODELS},
            **{f"{m}_credit_share": mean(r[f"{m}_credit_share"] for r in mine) for m in MODELS},
            "shapley_share_coverage": mean(r["shapley_share_covers"] for r in mine),
            "shapley_share_width": mean(r["shapley_share_width"] for r in mine),
        }
    return out


def merge(results: list[dict[str, Any]]) -> dict[str, Any]:
    """One result of several runs of the same profile (``--merge``: seeds run in parallel or
    on different days, each written to its own ``--out``): their seeds together, summarised
    again. Runs of different profiles, scales or inconsistency rates, or with a seed in
    common, are refused."""
    if not results:
        raise ValueError("nothing to merge")
    keys = ("profile", "spec", "scale", "inconsistency_rate")
    first = {k: results[0].get(k) for k in keys}
    for result in results[1:]:
        other = {k: result.get(k) for k in keys}
        if other != first:
            raise ValueError(f"cannot merge runs of different settings: {first} and {other}")
    seeds = sorted((s for r in results for s in r["seeds"]), key=lambda s: s["seed"])
    numbers = [s["seed"] for s in seeds]
    repeated = sorted({n for n in numbers if numbers.count(n) > 1})
    if repeated:
        raise ValueError(f"seed(s) {repeated} are in more than one run")
    diagnoses = [s["diagnosis"] for s in seeds if s.get("diagnosis")]
    return {
        **first,
        "model": results[0].get("model"),
        "summary": summarise([s["channels"] for s in seeds]),
        "diagnosis": summarise_diagnosis(diagnoses) if len(diagnoses) == len(seeds) else {},
        "seeds": seeds,
    }


def table(profile: str, summary: dict[str, Any]) -> str:
    """A plain-text table of one profile's summary."""
    lines = [f"profile {profile}: {summary['seeds']} seed(s)"]
    lines.append(
        f"  {'channel':<15} {'truth':>7} {'markov':>7} {'shapley':>7}"
        f" {'markov cr':>9} {'shapley cr':>10} {'sh. cov':>7} {'sh. width':>9}"
    )
    for channel, c in summary["channels"].items():
        mark = "*" if c["in_model"] else " "
        lines.append(
            f"  {channel + mark:<15} {c['truth']:>7.3f} {c['markov']:>7.3f} {c['shapley']:>7.3f}"
            f" {c['markov_credit_share']:>9.3f} {c['shapley_credit_share']:>10.3f}"
            f" {c['shapley_share_coverage']:>7.0%} {c['shapley_share_width']:>9.3f}"
        )
    lines.append(
        f"  {'model':<8} {'mean err pp':>11} {'max err pp':>10} {'mean (*) pp':>11}"
        f" {'max (*) pp':>10} {'<=3pp':>6} {'cr cov':>8} {'cr cov*':>7}"
    )
    for m, s in summary["models"].items():
        lines.append(
            f"  {m:<8} {s['mean_abs_error_pp']:>11.1f} {s['max_abs_error_pp']:>10.1f}"
            f" {s['mean_abs_error_pp_model_channels']:>11.1f}"
            f" {s['max_abs_error_pp_model_channels']:>10.1f} {s['within_3pp']:>6.0%}"
            f" {s['coverage']:>8.0%} {s['coverage_model_channels']:>7.0%}"
        )
    si = summary["shapley_share_interval"]
    lines.append(
        f"  shapley share 90% interval (re-fitted per draw): coverage {si['coverage']:.0%}"
        f" (model channels {si['coverage_model_channels']:.0%}), mean width"
        f" {si['mean_width']:.3f} (model channels {si['mean_width_model_channels']:.3f}),"
        f" {si['channels_x_seeds']} channel x seed"
    )
    lines.append(
        "  (* channel of the causal model; shares: mean over seeds; cr = credit share, cr cov ="
        " coverage of the credit share's interval, not an interval of the true share;"
        " sh. cov / width = the Shapley share's interval)"
    )
    return "\n".join(lines)


def diagnosis_errors(
    block: dict[str, Any], diagnosis: dict[str, dict[str, dict[str, float]]]
) -> dict[str, dict[str, dict[str, float]]]:
    """variant -> model -> mean and max absolute error (pp) over the channels the truth or the
    variant knows (benchmarks/attribution_truth/diagnose.py)."""
    truth = true_shares(block)
    out: dict[str, dict[str, dict[str, float]]] = {}
    for variant, models in diagnosis.items():
        out[variant] = {}
        for m, shares in models.items():
            errors = [
                abs(shares.get(c, 0.0) - truth.get(c, 0.0)) * 100 for c in set(truth) | set(shares)
            ]
            out[variant][m] = {"mean_abs_error_pp": mean(errors), "max_abs_error_pp": max(errors)}
    return out


def summarise_diagnosis(
    per_seed: list[dict[str, dict[str, dict[str, float]]]],
) -> dict[str, dict[str, dict[str, float]]]:
    """Over seeds: the mean of the per-seed mean errors, the max of the max errors."""
    if not per_seed:
        return {}
    return {
        variant: {
            m: {
                "mean_abs_error_pp": mean(s[variant][m]["mean_abs_error_pp"] for s in per_seed),
                "max_abs_error_pp": max(s[variant][m]["max_abs_error_pp"] for s in per_seed),
            }
            for m in models
        }
        for variant, models in per_seed[0].items()
    }


def diagnosis_table(summary: dict[str, dict[str, dict[str, float]]]) -> str:
    lines = ["  diagnosis (same models in Python on subsets of the journeys): mean / max err pp"]
    for variant, models in summary.items():
        cells = "  ".join(
            f"{m} {v['mean_abs_error_pp']:5.1f} / {v['max_abs_error_pp']:5.1f}"
            for m, v in models.items()
        )
        lines.append(f"  {variant:<32} {cells}")
    return "\n".join(lines)
