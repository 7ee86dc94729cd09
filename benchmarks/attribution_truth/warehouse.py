"""One company: generate, load into a DuckDB file of its own, build what attribution needs,
read the shares back. The test suite's helpers do the loading and the dbt call."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from orchestration.ingest import load_landing
from orchestration.settings import Settings
from simulator import generate
from tests.dbt_cli import REPO, run_dbt

#: The models the comparison reads, with everything upstream; no data tests (not measured).
SELECT = ("+fct_attribution_channel_effects", "+kpi_channel_attribution_intervals")
SCOPE = "marketing"


@dataclass
class Company:
    truth: dict[str, Any]
    #: channel -> {"markov": share, "shapley": share, "shapley_lower": bound,
    #: "shapley_upper": bound} (fct_attribution_channel_effects; the bounds are the 90%
    #: bootstrap interval of the Shapley share, the model re-fitted in every draw).
    effects: dict[str, dict[str, float]]
    #: (model, channel) -> (credit share, lower, upper) (kpi_channel_attribution_intervals:
    #: the credit share resampled over won deals, effects learnt once).
    intervals: dict[tuple[str, str], tuple[float, float, float]]


def build(
    work: Path, seed: int, scale: float, model: str, inconsistency_rate: float, threads: int
) -> Company:
    """Generate the company of ``seed`` under ``work``, build it, read its shares."""
    landing = work / "landing"
    generate(
        landing,
        scale=scale,
        seed=seed,
        inconsistency_rate=inconsistency_rate,
        channel_effects=model,
    )
    truth = json.loads((landing / "ground_truth.json").read_text())
    db = work / "warehouse.duckdb"
    env = {
        "REVOPS_TARGET": "duckdb",
        "REVOPS_DUCKDB_PATH": str(db),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    load_landing(Settings.from_env({**env, "REVOPS_PROJECT_DIR": str(REPO)}), landing)
    as_of = truth["as_of"].replace("T", " ").rstrip("Z")
    args = ["build", "-s", *SELECT, "--exclude-resource-type", "test", "unit_test"]
    run_dbt([*args, "--threads", str(threads)], env, work, as_of=as_of)
    return Company(truth, *read_shares(db))


def read_shares(
    db: Path,
) -> tuple[dict[str, dict[str, float]], dict[tuple[str, str], tuple[float, float, float]]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        effects = {
            channel: {
                "markov": float(markov or 0),
                "shapley": float(shapley or 0),
                "shapley_lower": float(lower or 0),
                "shapley_upper": float(upper or 0),
            }
            for channel, markov, shapley, lower, upper in con.execute(
                "select channel, markov_share, shapley_share, shapley_share_lower, "
                "shapley_share_upper from marts.fct_attribution_channel_effects where scope = ?",
                [SCOPE],
            ).fetchall()
        }
        intervals = {
            (m, c): (float(s), float(lo), float(hi))
            for m, c, s, lo, hi in con.execute(
                "select attribution_model, channel, share, share_lower, share_upper "
                "from marts.kpi_channel_attribution_intervals "
                "where scope = ? and attribution_model in ('markov', 'shapley')",
                [SCOPE],
            ).fetchall()
        }
    finally:
        con.close()
    return effects, intervals
