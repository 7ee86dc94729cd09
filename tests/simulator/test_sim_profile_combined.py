"""Every profile option at once: deterministic, and true across batches."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import sim_rederive as rd

from simulator import generate

OPTIONS = {
    "scale": 0.02,
    "seed": 9,
    "profile": "marketing-crm",
    "omit_tables": "salesforce/task",
    "start_year": 2016,
    "future_dates": 2,
    "stage_history": False,
    "missing_fields": 0.05,
    "shared_domain_accounts": 30,
    "currencies": "BRL,EUR",
    "unconvertible_currency": "CHF",
}


def _files(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def test_a_profile_run_is_deterministic(tmp_path: Path):
    generate(tmp_path / "a", **OPTIONS)
    generate(tmp_path / "b", **OPTIONS)
    a, b = _files(tmp_path / "a"), _files(tmp_path / "b")
    assert a == b
    assert "salesforce/dated_conversion_rate.csv" in a and "salesforce/task.csv" not in a
    assert "ads/ad_stats.csv" not in a and "hubspot/deal_stage.csv" not in a


def test_every_option_at_once_across_batches(tmp_path: Path):
    rates = rd.Rates()
    keys = rd.rules_md_primary_keys()
    folders = []
    for batch in (None, 1):
        folder = tmp_path / f"batch{batch}"
        truth = generate(folder, batch=batch, **OPTIONS)
        folders.append(folder)
        merged = rd.merge_batches(folders, keys)
        as_of = rd.secs(pd.Series([truth["as_of"]])).iloc[0]
        assert truth["as_of"].startswith("2017-01-")
        assert rd.rules(merged, rates, as_of) == truth["inconsistencies"]
        rd.assert_facts_equal(truth, rd.facts(merged, rates))
        assert rd.missing_fields(merged) == truth["missing_fields"]
        assert rd.future_dated(merged, as_of) == truth["future_dated"]
        assert {n: len(f) for n, f in merged.items()} == truth["rows_cumulative"]
        assert truth["shared_domain"]["accounts"] == 30
        assert set(p.parent.name for p in folder.glob("*/*.csv")) <= {"salesforce", "hubspot"}
