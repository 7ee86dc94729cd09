"""Long history (start_year) and data reaching past as_of (future_dates)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import sim_rederive as rd
from sim_companies import Companies

from simulator import generate

SCALE = 0.02
SEED = 3
OPEN_END = "9999-12-31T23:59:59Z"  # deal_stage._fivetran_end of the current stage


@pytest.fixture(scope="module")
def default(simulate: Companies) -> tuple[Path, dict]:
    return simulate("history_default", scale=SCALE, seed=SEED)


@pytest.fixture(scope="module")
def old(simulate: Companies) -> tuple[Path, dict]:
    return simulate("history_2012", scale=SCALE, seed=SEED, start_year=2012)


def _as_of(truth: dict) -> float:
    return rd.secs(pd.Series([truth["as_of"]])).iloc[0]


def test_start_year_moves_the_whole_company(old: tuple[Path, dict]):
    folder, truth = old
    assert truth["profile"]["start_year"] == 2012
    assert truth["period"]["start"].startswith("2012-01-0")
    assert truth["period"]["start"] <= "2012-01-07"
    horizon = (pd.Timestamp(truth["as_of"]) + pd.Timedelta(days=366)).strftime("%Y-%m-%dT%H:%M:%SZ")
    checked = 0
    for name, frame in rd.load(folder).items():
        for col in rd.dated_columns(frame):
            values = frame[col][(frame[col] != "") & (frame[col] != OPEN_END)]
            full = values.where(values.str.len() > 10, values + "T00:00:00Z")
            assert (full >= "2010-01-01T00:00:00Z").all(), (name, col, full.min())
            assert (full <= horizon).all(), (name, col, full.max())
            checked += len(values)
        assert (frame["_fivetran_synced"] < truth["as_of"]).all(), name
    assert checked > 10_000
    assert truth["as_of"].startswith("2013-01-")


def test_start_year_shifts_by_whole_weeks(old: tuple[Path, dict], default: tuple[Path, dict]):
    """Every date of every file is the default run's date moved by the same whole weeks."""
    shifted, base = rd.load(old[0]), rd.load(default[0])
    assert shifted.keys() == base.keys()
    moves = set()
    for name, frame in base.items():
        other = shifted[name]
        assert len(other) == len(frame), name
        for col in rd.dated_columns(frame):
            a, b = frame[col], other[col]
            keep = (a != "") & (a != OPEN_END)
            assert ((b == "") == (a == "")).all() and (b[a == OPEN_END] == OPEN_END).all()
            da = pd.to_datetime(a[keep].str[:10])
            db = pd.to_datetime(b[keep].str[:10])
            moves |= set((db - da).dt.days.unique().tolist())
            assert (da.dt.day_of_week == db.dt.day_of_week).all(), (name, col)
            assert (a[keep].str[10:] == b[keep].str[10:]).all(), (name, col)  # time of day
    assert len(moves) == 1 and next(iter(moves)) % 7 == 0 and next(iter(moves)) < -4000
    names = shifted["salesforce/opportunity"]["name"]
    assert names.str.match(r".* (2010|2011|2012|2013)$").all()
    campaigns = shifted["hubspot/email_campaign"]["name"]
    assert not campaigns.str.contains("202").any()


def test_start_year_truth_re_derives(old: tuple[Path, dict], rates: rd.Rates):
    folder, truth = old
    tables = rd.load(folder)
    rd.assert_facts_equal(truth, rd.facts(tables, rates))
    assert rd.rules(tables, rates, _as_of(truth)) == truth["inconsistencies"]
    # every EUR/GBP win predates the seed: converted with its earliest rate
    won = rd.live(tables["salesforce/opportunity"])
    won = won[rd.truthy(won["is_won"]) & won["currency_iso_code"].isin(["EUR", "GBP"])]
    assert truth["won_opportunities_rate_extrapolated"] == len(won) > 0


def test_start_year_batches_follow(tmp_path: Path, old: tuple[Path, dict]):
    truth = generate(tmp_path, scale=SCALE, seed=SEED, start_year=2012, batch=1)
    base_as_of = old[1]["as_of"]
    assert truth["base_as_of"] == base_as_of
    assert truth["as_of"] == (pd.Timestamp(base_as_of) + pd.Timedelta(days=1)).strftime(
        "%Y-%m-%dT%H:%M:%SZ"
    )
    for name, frame in rd.load(tmp_path).items():
        assert (frame["_fivetran_synced"] >= base_as_of).all(), name
        assert (frame["_fivetran_synced"] < truth["as_of"]).all(), name


def test_future_dates(tmp_path: Path, default: tuple[Path, dict], rates: rd.Rates):
    assert default[1]["future_dated"] == {
        "salesforce/opportunity.close_date": 0,
        "hubspot/contact.property_createdate": 0,
    }
    truth = generate(tmp_path, scale=SCALE, seed=SEED, future_dates=3)
    assert truth["profile"]["future_dates"] == 3
    assert truth["future_dated"] == {
        "salesforce/opportunity.close_date": 3,
        "hubspot/contact.property_createdate": 3,
    }
    tables = rd.load(tmp_path)
    as_of = _as_of(truth)
    assert rd.future_dated(tables, as_of) == truth["future_dated"]
    assert rd.rules(tables, rates, as_of) == truth["inconsistencies"]
    rd.assert_facts_equal(truth, rd.facts(tables, rates))
    opps = tables["salesforce/opportunity"]
    far = rd.days(opps["close_date"]) - np.floor(as_of / rd.DAY)
    assert ((far >= 2 * 365) & (far <= 5 * 365)).sum() == 3
    # the future HubSpot create dates make those contacts break the timeline rule
    base = default[1]["inconsistencies_detail"]["timeline_monotonic"]["hubspot_contact"]
    assert truth["inconsistencies_detail"]["timeline_monotonic"]["hubspot_contact"] >= base + 1
