"""From measured steps to ratios, targets, latest.json and latest.md.

Every ratio divides two figures measured in the same run on the same machine:

- ``incremental_over_full``: ``dbt build`` after a one-day batch / ``dbt build --full-refresh``;
- ``dbt_over_engine_floor``: ``dbt build --full-refresh`` of seeds, models and snapshots
  (``dbt_build_models``, one invocation, no tests) / the same compiled SQL run directly on one
  DuckDB connection (``engine_floor``); ``dbt_steps_over_engine_floor`` does the same with the
  separate ``dbt seed`` + ``dbt run`` + ``dbt snapshot`` invocations;
- ``ingest_over_duckdb_floor``: ``revops load`` / DuckDB ``read_csv`` of the same files;
- ``scaling_10_over_1``: per step, seconds at scale 10 / seconds at scale 1 (judged on the
  pipeline's steps: the floors are references and parsing does not read the data).
"""

from __future__ import annotations

from typing import Any

from benchmarks.pipeline import STEP_ORDER

TARGET_SCALE = "10"
BASE_SCALE = "1"
DBT_MODEL_STEPS = ("dbt_seed", "dbt_snapshot", "dbt_run")
TARGETS = (
    # key, limit, description
    ("incremental_over_full", 0.10, "incremental dbt build <= 10% of the full build at scale 10"),
    ("dbt_over_engine_floor", 1.5, "dbt / DuckDB engine floor <= 1.5 at scale 10"),
    ("ingest_over_duckdb_floor", 3.0, "ingestion / DuckDB read_csv floor <= 3 at scale 10"),
    ("pipeline_seconds_scale10", 300.0, "whole Dagster job at scale 10 <= 300 s"),
    ("peak_rss_gib_scale10", 4.0, "peak RSS of the whole Dagster job at scale 10 <= 4 GiB"),
    ("scaling_10_over_1", 10.0, "every step: time at scale 10 / time at scale 1 <= 10"),
)
# not judged for scaling: parsing does not read the data; the floors are references
SCALING_EXCLUDED = ("dbt_parse", "dbt_parse_next_day", "ingest_floor", "engine_floor")


def _seconds(steps: dict[str, Any], name: str) -> float | None:
    step = steps.get(name)
    return float(step["seconds"]) if step else None


def _ratio(num: float | None, den: float | None) -> float | None:
    if num is None or den is None or den <= 0:
        return None
    return round(num / den, 3)


def scale_ratios(steps: dict[str, Any]) -> dict[str, float | None]:
    """The floor and incremental ratios of one scale's steps."""
    dbt_models = [_seconds(steps, s) for s in DBT_MODEL_STEPS if s in steps]
    return {
        "incremental_over_full": _ratio(
            _seconds(steps, "dbt_build_incremental"), _seconds(steps, "dbt_build_full")
        ),
        "dbt_over_engine_floor": _ratio(
            _seconds(steps, "dbt_build_models"), _seconds(steps, "engine_floor")
        ),
        "dbt_steps_over_engine_floor": _ratio(
            sum(s for s in dbt_models if s is not None) if "dbt_run" in steps else None,
            _seconds(steps, "engine_floor"),
        ),
        "ingest_over_duckdb_floor": _ratio(
            _seconds(steps, "ingest"), _seconds(steps, "ingest_floor")
        ),
    }


def scaling(big: dict[str, Any], small: dict[str, Any]) -> dict[str, float | None]:
    """Per step: seconds in ``big`` / seconds in ``small``."""
    return {
        name: _ratio(_seconds(big, name), _seconds(small, name)) for name in big if name in small
    }


def model_scaling(
    big: dict[str, float], small: dict[str, float], top: int = 10, min_seconds: float = 0.5
) -> list[dict[str, Any]]:
    """The models whose dbt run time grows fastest with scale (at least ``min_seconds``)."""
    rows = [
        {
            "model": m,
            "seconds_small": small[m],
            "seconds_big": big[m],
            "ratio": _ratio(big[m], small[m]),
        }
        for m in big
        if m in small and big[m] >= min_seconds and small[m] > 0
    ]
    return sorted(rows, key=lambda r: r["ratio"] or 0, reverse=True)[:top]


def _target(key: str, limit: float, text: str, value: Any, measured_at: str | None) -> dict:
    if key == "scaling_10_over_1":
        judged = {k: v for k, v in (value or {}).items() if k not in SCALING_EXCLUDED}
        over = {k: v for k, v in judged.items() if v is not None and v > limit}
        met = None if not judged else not over
        shown: Any = max((v for v in judged.values() if v is not None), default=None)
        extra = {
            "worst_step": max(judged, key=lambda k: judged[k] or 0) if judged else None,
            "steps_over": over,
        }
    else:
        shown, extra = value, {}
        met = None if value is None else value <= limit
    return {
        "key": key,
        "target": text,
        "limit": limit,
        "value": shown,
        "met": met,
        "measured_at_scale": measured_at,
        **extra,
    }


def summarise(
    scales: dict[str, dict[str, Any]], machine: dict[str, Any], date: str
) -> dict[str, Any]:
    """The whole latest.json from per-scale results (``ScaleResult.as_dict()`` by label)."""
    labels = sorted(scales, key=float)
    headline = TARGET_SCALE if TARGET_SCALE in scales else labels[-1]
    ratios = {label: scale_ratios(scales[label]["steps"]) for label in labels}
    have_pair = TARGET_SCALE in scales and BASE_SCALE in scales
    scale10 = scales.get(TARGET_SCALE, {}).get("steps", {})
    job10 = scale10.get("dagster_job")
    summary: dict[str, Any] = {
        "schema_version": 1,
        "date": date,
        "machine": machine,
        "scales": [float(label) for label in labels],
        "headline_scale": float(headline),
        **ratios[headline],
        "pipeline_seconds_scale10": job10["seconds"] if job10 else None,
        "peak_rss_gib_scale10": job10["peak_rss_gib"] if job10 else None,
        "scaling_10_over_1": (scaling(scale10, scales[BASE_SCALE]["steps"]) if have_pair else {}),
        "ratios": ratios,
        "pipeline_seconds": {
            label: _seconds(scales[label]["steps"], "dagster_job") for label in labels
        },
        "max_step_peak_rss_gib": {
            label: max((s["peak_rss_gib"] for s in scales[label]["steps"].values()), default=None)
            for label in labels
        },
        "max_load_avg_1m": max(
            (s.get("load_avg_1m", 0.0) for v in scales.values() for s in v["steps"].values()),
            default=0.0,
        ),
        "per_scale": scales,
    }
    if len(labels) >= 2 and not have_pair:
        summary["scaling_largest_over_smallest"] = scaling(
            scales[labels[-1]]["steps"], scales[labels[0]]["steps"]
        )
    at = TARGET_SCALE if TARGET_SCALE in scales else None
    summary["targets"] = [
        _target(key, limit, text, summary[key] if at else None, at) for key, limit, text in TARGETS
    ]
    if job10 and job10.get("exit_code"):
        for target in summary["targets"]:
            if target["key"] in ("pipeline_seconds_scale10", "peak_rss_gib_scale10"):
                target["met"] = None
                target["note"] = "the Dagster job failed at scale 10: its time is not judged"
    if have_pair:
        summary["model_scaling_10_over_1"] = model_scaling(
            scales[TARGET_SCALE].get("model_seconds") or {},
            scales[BASE_SCALE].get("model_seconds") or {},
        )
    summary["slowest_models"] = {
        label: (scales[label].get("slowest_models") or {}).get("dbt_run", []) for label in labels
    }
    summary["dbt_build_composition"] = {
        label: scales[label].get("composition") or {} for label in labels
    }
    return summary


def _fmt(value: Any, digits: int = 2) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def composition_table(summary: dict[str, Any]) -> list[str]:
    """Where the full and the incremental dbt build spent their time, per scale."""
    comp = summary.get("dbt_build_composition") or {}
    columns = [
        (label, step)
        for label in sorted(comp, key=float)
        for step in ("dbt_build_full", "dbt_build_incremental")
        if comp[label].get(step)
    ]
    if not columns:
        return []
    kinds = list(dict.fromkeys(k for label, step in columns for k in comp[label][step]))
    out = [
        "",
        "## Where dbt build's time goes (seconds)",
        "",
        "Node rows are dbt's execution_time summed per kind (thread-seconds: with 2 threads "
        "they add up to about twice the elapsed time); the last row is the process's wall time "
        "outside dbt's clock (start, parse, adapter and relation cache).",
        "",
        "| kind | "
        + " | ".join(f"scale {label} {step.removeprefix('dbt_build_')}" for label, step in columns)
        + " |",
        "|---|" + "---|" * len(columns),
    ]
    for kind in kinds:
        cells = [_fmt(comp[label][step].get(kind), 1) for label, step in columns]
        out.append(f"| {kind} | " + " | ".join(cells) + " |")
    return out


def markdown(summary: dict[str, Any]) -> str:
    """latest.md: machine, per-step table, ratios, targets and slowest models."""
    labels = [f"{s:g}" for s in summary["scales"]]
    per = summary["per_scale"]
    m = summary["machine"]
    out = [
        "# revops benchmarks",
        "",
        f"Measured {summary['date']} on {m['cores']} cores, {m['memory_gib']} GiB "
        f"({m['cpu']}), {m.get('project') or 'commit ' + (m.get('git_commit') or '?')}; "
        f"duckdb {m['versions'].get('duckdb')}, dbt-core {m['versions'].get('dbt-core')}, "
        f"dagster {m['versions'].get('dagster')}. Every ratio divides two figures of this run.",
        "",
        *(
            [
                f"**Busy machine**: the 1-minute load average reached "
                f"{summary['max_load_avg_1m']:.1f} on {m['cores']} cores during the run "
                "(other work shared the CPU): absolute times are pessimistic.",
                "",
            ]
            if summary.get("max_load_avg_1m", 0) > (m.get("cores") or 1)
            else []
        ),
        "## Steps (wall seconds / peak RSS GiB of the step's process tree)",
        "",
        *(
            [
                f"Seconds: each step's fastest of {rounds} rounds (the least disturbed by other "
                "work); GiB: the highest of the rounds. Generation runs once.",
                "",
            ]
            if (rounds := max(int(v.get("rounds", 1)) for v in summary["per_scale"].values())) > 1
            else []
        ),
    ]
    scaling = summary.get("scaling_10_over_1") or {}
    head = "| step | " + " | ".join(f"scale {s} s | scale {s} GiB" for s in labels)
    head += " | 10/1 time |" if scaling else " |"
    out += [head, "|" + "---|" * (1 + 2 * len(labels) + (1 if scaling else 0))]
    names = [n for n in STEP_ORDER if any(n in per[label]["steps"] for label in labels)]
    for label in labels:
        names += [n for n in per[label]["steps"] if n not in names]
    for name in names:
        cells = []
        for label in labels:
            step = per[label]["steps"].get(name)
            cells += [_fmt(step and step["seconds"], 1), _fmt(step and step["peak_rss_gib"])]
        row = f"| {name} | " + " | ".join(cells)
        row += f" | {_fmt(scaling.get(name))} |" if scaling else " |"
        out.append(row)
    out += [
        "",
        "## Ratios",
        "",
        "| ratio | " + " | ".join(f"scale {s}" for s in labels) + " |",
        "|---|" + "---|" * len(labels),
    ]
    for key in (
        "incremental_over_full",
        "dbt_over_engine_floor",
        "dbt_steps_over_engine_floor",
        "ingest_over_duckdb_floor",
    ):
        vals = [_fmt(summary["ratios"][label][key], 3) for label in labels]
        out.append(f"| {key} | " + " | ".join(vals) + " |")
    out += ["", "## Targets", "", "| target | value | met |", "|---|---|---|"]
    for t in summary["targets"]:
        met = {True: "met", False: "**missed**", None: "not judged"}[t["met"]]
        value = _fmt(t["value"], 3)
        if t.get("steps_over"):
            value += " (over: " + ", ".join(f"{k} {v}" for k, v in t["steps_over"].items()) + ")"
        if t.get("note"):
            met += f" ({t['note']})"
        out.append(f"| {t['target']} | {value} | {met} |")
    out += composition_table(summary)
    for label in labels:
        rows = summary["slowest_models"].get(label) or []
        if not rows:
            continue
        out += [
            "",
            f"## Slowest models, dbt run, scale {label}",
            "",
            "| model | seconds |",
            "|---|---|",
        ]
        out += [f"| {r['model']} | {_fmt(r['seconds'], 2)} |" for r in rows]
    growth = summary.get("model_scaling_10_over_1") or []
    if growth:
        out += [
            "",
            "## Models whose time grows fastest (dbt run, scale 10 / scale 1)",
            "",
            "| model | scale 1 s | scale 10 s | 10/1 |",
            "|---|---|---|---|",
        ]
        out += [
            f"| {r['model']} | {_fmt(r['seconds_small'])} | {_fmt(r['seconds_big'])} | "
            f"{_fmt(r['ratio'], 1)} |"
            for r in growth
        ]
    rows = []
    for label in labels:
        for name, step in per[label]["steps"].items():
            b = step.get("breakdown") or {}
            if not b:
                continue
            top = ", ".join(f"{k} {v:.1f}" for k, v in list(b.get("steps", {}).items())[:6])
            rows.append(
                f"| {label} | {name} | {_fmt(step['seconds'], 1)} | "
                f"{_fmt(b.get('startup_seconds'), 1)} | {top} |"
            )
    if rows:
        out += [
            "",
            "## Inside the Dagster commands (seconds)",
            "",
            "| scale | step | total | startup (parse, imports) | slowest Dagster steps |",
            "|---|---|---|---|---|",
            *rows,
        ]
    notes = [f"- scale {label}: {n}" for label in labels for n in per[label].get("notes", [])]
    if notes:
        out += ["", "## Notes", "", *[n.replace("\n", " ")[:400] for n in notes]]
    return "\n".join(out) + "\n"
