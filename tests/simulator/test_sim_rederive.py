"""The truth re-derived independently from the CSV files equals ground_truth.json."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
import sim_rederive as rd

from tests.rules_contract import RULE_NAMES

BASE_AS_OF = rd.secs(__import__("pandas").Series(["2026-01-01T00:00:00Z"])).iloc[0]


@pytest.mark.parametrize("which", ["demo", "clean"])
def test_facts_match_the_files(which: str, request: pytest.FixtureRequest, rates: rd.Rates):
    folder, truth = request.getfixturevalue(which)
    facts = rd.facts(rd.load(folder), rates)
    rd.assert_facts_equal(truth, facts)
    assert truth["people"] > 0 and truth["opportunities_won"] > 0 and truth["customers"] > 0


@pytest.mark.parametrize("which", ["demo", "clean"])
def test_row_counts_match_the_files(which: str, request: pytest.FixtureRequest):
    folder, truth = request.getfixturevalue(which)
    files = sorted(folder.glob("*/*.csv"))
    assert len(files) == 25
    counted = {}
    for path in files:
        with path.open(newline="") as fh:
            counted[f"{path.parent.name}/{path.stem}"] = sum(1 for _ in csv.reader(fh)) - 1
    assert counted == truth["rows"]
    assert truth["rows"] == truth["rows_cumulative"]


@pytest.mark.parametrize("which", ["demo", "clean"])
def test_every_rule_count_matches_the_files(
    which: str, request: pytest.FixtureRequest, rates: rd.Rates
):
    folder, truth = request.getfixturevalue(which)
    derived = rd.rules(rd.load(folder), rates, BASE_AS_OF)
    assert set(truth["inconsistencies"]) == set(RULE_NAMES)
    assert derived == truth["inconsistencies"]


def test_default_rates_trip_every_rule_but_reconciliation(demo: tuple[Path, dict]):
    _, truth = demo
    zero = [r for r, n in truth["inconsistencies"].items() if n == 0]
    assert zero == ["reconciliation"], f"rules with no injected offence: {zero}"
    assert truth["injected"]["unconvertible_currency"] == 0
    assert "CHF" not in set(rd.load(demo[0])["salesforce/opportunity"]["currency_iso_code"])


def test_unconvertible_currency_option_trips_reconciliation(tmp_path: Path, rates: rd.Rates):
    from simulator import generate

    truth = generate(tmp_path, scale=0.02, seed=3, unconvertible_currency="XAU")
    tables = rd.load(tmp_path)
    opps = tables["salesforce/opportunity"]
    assert (opps["currency_iso_code"] == "XAU").sum() == truth["injected"]["unconvertible_currency"]
    assert truth["inconsistencies"]["reconciliation"] >= 1
    assert truth["won_opportunities_not_convertible"] == truth["inconsistencies"]["reconciliation"]
    assert rd.rules(tables, rates, BASE_AS_OF) == truth["inconsistencies"]


def test_clean_company_has_no_offence(clean: tuple[Path, dict]):
    _, truth = clean
    assert all(n == 0 for n in truth["inconsistencies"].values()), truth["inconsistencies"]
    assert all(n == 0 for n in truth["injected"].values()), truth["injected"]
    assert truth["unmapped_values"] == [] and truth["stale_tables"] == []


def test_cumulative_batch_state_matches_batch_truth(
    demo: tuple[Path, dict], batches: list[tuple[Path, dict]], rates: rd.Rates
):
    keys = rd.rules_md_primary_keys()
    folders = [demo[0]]
    for k, (folder, truth) in enumerate(batches, start=1):
        folders.append(folder)
        merged = rd.merge_batches(folders, keys)
        as_of = BASE_AS_OF + k * rd.DAY
        assert rd.rules(merged, rates, as_of) == truth["inconsistencies"]
        facts = rd.facts(merged, rates)
        assert facts["people"] == truth["people"]
        assert facts["opportunities_won"] == truth["opportunities_won"]
        assert {n: len(f) for n, f in merged.items()} == truth["rows_cumulative"]
        by_channel, excluded = rd.by_channel(merged, rates)
        assert excluded == set(truth["by_channel_excluded"])
        for channel, row in by_channel.items():
            got = truth["by_channel"][channel]
            assert (got["mqls"], got["won_opportunities"]) == (
                row["mqls"],
                row["won_opportunities"],
            ), channel
            assert got["won_revenue_usd"] == pytest.approx(row["won_revenue_usd"], abs=0.02)
        touches, excluded = rd.attribution(merged, rates)
        assert excluded == set(truth["attribution_touches_excluded"])
        assert touches == truth["attribution_touches"]


def test_keys_are_unique_and_nothing_is_synced_after_as_of(demo: tuple[Path, dict]):
    tables = rd.load(demo[0])
    keys = rd.rules_md_primary_keys()
    optional = {
        "salesforce/currency_type",
        "salesforce/dated_conversion_rate",
        "salesforce/opportunity_history",
    }
    assert set(keys) - optional == set(tables)
    for name, frame in tables.items():
        k = keys[name]
        assert (frame["_fivetran_synced"] < "2026-01-01T00:00:00Z").all(), name
        assert frame["_fivetran_synced"].str.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$").all()
        if not k:
            continue
        keyed = frame[(frame[k] != "").all(axis=1)]
        assert not keyed.duplicated(subset=k).any(), name
        if name != "web/sessions":
            assert len(keyed) == len(frame), name
    opps = tables["salesforce/opportunity"]
    assert opps["id"].str.match(r"^006\w{15}$").all()
    assert tables["salesforce/lead"]["id"].str.match(r"^00Q\w{15}$").all()
    assert tables["hubspot/contact"]["id"].str.match(r"^\d+$").all()
    for flag in ("is_deleted",):
        assert set(tables["salesforce/task"][flag]) <= {"true", "false"}


def test_the_rate_multiplies_the_injections(tmp_path: Path, demo: tuple[Path, dict]):
    from simulator import generate

    double = generate(tmp_path, scale=0.04, seed=11, inconsistency_rate=2.0)
    single = demo[1]
    assert sum(double["injected"].values()) > 1.5 * sum(single["injected"].values())
    assert double["inconsistencies"]["person_match"] > single["inconsistencies"]["person_match"]
