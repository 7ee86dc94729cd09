"""attribution_touches: the touches multi-touch attribution gives each won opportunity."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import sim_rederive as rd
from sim_companies import Companies

from simulator import generate
from simulator.attribution import LOOKBACK_DAYS, window
from simulator.config import DAY, ts

#: A company in which a touch lands on the close day of a win after its Closed Won change.
SMALL = {"scale": 0.04, "seed": 1}
CLOSE_DAY_WIN = "0065g0000hScXNKAA3"


@pytest.fixture(scope="module")
def small(simulate: Companies) -> dict[str, tuple[Path, dict]]:
    """The same small company with and without stage history."""
    return {
        name: simulate(f"attribution_{name}", **SMALL, stage_history=history)
        for name, history in (("history", True), ("no_history", False))
    }


def assert_matches_files(folder: Path, truth: dict, rates: rd.Rates) -> None:
    derived, excluded = rd.attribution(rd.load(folder), rates)
    assert excluded == set(truth["attribution_touches_excluded"])
    assert derived == truth["attribution_touches"]


def test_window_ends_at_the_win_or_the_end_of_the_close_day():
    created = ts("2025-03-03T09:30:00Z")
    day = ts("2025-04-28") // DAY
    at_15 = ts("2025-04-28T15:00:00Z")
    won_change = ts("2025-04-28T10:45:37Z")
    first, last = window(created, day, None)  # no stage history
    assert first == created - LOOKBACK_DAYS * DAY
    assert first <= at_15 <= last
    assert last == ts("2025-04-28T23:59:59Z") < ts("2025-04-29T00:00:00Z")
    assert not at_15 <= window(created, day, won_change)[1]  # with history: won at 10:45
    # the end of the close day, never before the opportunity was created
    late = ts("2025-04-30T08:00:00Z")
    assert window(late, day, None) == (late - LOOKBACK_DAYS * DAY, late)
    # both ends are included
    assert window(created, day, won_change) == (created - 90 * DAY, won_change)


@pytest.mark.parametrize("which", ["demo", "clean", "vendor"])
def test_touches_match_the_files(which: str, request: pytest.FixtureRequest, rates: rd.Rates):
    folder, truth = request.getfixturevalue(which)
    assert_matches_files(folder, truth, rates)
    assert truth["attribution_touches_excluded"] == {}
    touches = truth["attribution_touches"]
    # every won opportunity has a USD amount here (no unconvertible currency)
    assert len(touches) == truth["opportunities_won"]
    assert sum(1 for v in touches.values() if v["touches"]) > 0.8 * len(touches)
    for value in touches.values():
        assert (value["touches"] == 0) == (value["first_at"] is None) == (value["last_at"] is None)
        assert value["touches"] == 0 or value["first_at"] <= value["last_at"]


def test_spellings_do_not_move_a_touch(demo: tuple[Path, dict], vendor: tuple[Path, dict]):
    assert vendor[1]["attribution_touches"] == demo[1]["attribution_touches"]


@pytest.mark.parametrize("name", ["history", "no_history"])
def test_small_company_with_and_without_stage_history(
    name: str, small: dict[str, tuple[Path, dict]], rates: rd.Rates
):
    folder, truth = small[name]
    assert truth["profile"]["stage_history"] is (name == "history")
    assert_matches_files(folder, truth, rates)
    assert truth["attribution_touches_excluded"] == {}


def test_a_touch_on_the_close_day_counts_without_stage_history(
    small: dict[str, tuple[Path, dict]],
):
    history, no_history = small["history"], small["no_history"]
    before = history[1]["attribution_touches"][CLOSE_DAY_WIN]
    after = no_history[1]["attribution_touches"][CLOSE_DAY_WIN]
    opps = rd.load(history[0])["salesforce/opportunity"].set_index("id")
    close_date = opps.at[CLOSE_DAY_WIN, "close_date"]
    hist = rd.load(history[0])["salesforce/opportunity_field_history"]
    won_at = hist[(hist["opportunity_id"] == CLOSE_DAY_WIN) & (hist["new_value"] == "Closed Won")]
    won_change = won_at["created_date"].min()
    assert won_change.startswith(close_date)
    # a touch in the afternoon of the close day, after the Closed Won change: counted only
    # without stage history (the win is then the end of the close day)
    assert after["touches"] == before["touches"] + 1
    assert after["first_at"] == before["first_at"]
    assert after["last_at"].startswith(close_date) and after["last_at"] > won_change
    assert before["last_at"] < won_change
    touched = pd.Timestamp(after["last_at"])
    assert 12 <= touched.hour < 24
    # the rest of the company moves only where the close day adds (or, for a close date
    # before the creation, removes) touches
    assert len(no_history[1]["attribution_touches"]) == len(history[1]["attribution_touches"])


def test_excluded_without_contact_roles_and_other_shapes(tmp_path: Path, rates: rd.Rates):
    truth = generate(tmp_path / "leads", scale=0.04, seed=11, profile="crm-leads")
    assert truth["attribution_touches"] == {}
    assert len(truth["attribution_touches_excluded"]) == truth["opportunities_won"]
    assert all("contact role" in r for r in truth["attribution_touches_excluded"].values())
    assert_matches_files(tmp_path / "leads", truth, rates)
    for name, options in (
        ("missing", {"missing_fields": 0.3}),
        ("old", {"start_year": 2012, "currencies": "BRL,EUR", "stage_history": False}),
        ("sellers", {"shared_domain_accounts": 12, "future_dates": 3}),
        ("chf", {"unconvertible_currency": "CHF", "scale": 0.1}),
    ):
        kwargs = {"scale": 0.04, "seed": 11, **options}
        truth = generate(tmp_path / name, **kwargs)
        assert_matches_files(tmp_path / name, truth, rates)
        won_usd = truth["opportunities_won"] - truth["won_opportunities_not_convertible"]
        assert len(truth["attribution_touches"]) == won_usd, name
        if name == "chf":  # a win without a USD amount is out of scope, not excluded
            assert truth["won_opportunities_not_convertible"] >= 1
            assert truth["attribution_touches_excluded"] == {}


def test_attribution_is_deterministic(tmp_path: Path):
    a = generate(tmp_path / "a", scale=0.02, seed=3)
    b = generate(tmp_path / "b", scale=0.02, seed=3)
    c = generate(tmp_path / "c", scale=0.02, seed=4)
    for key in ("attribution_touches", "by_channel"):
        assert a[key] == b[key]
    assert a["attribution_touches"] != c["attribution_touches"]


def test_touches_reach_back_90_days_and_never_past_the_win(demo: tuple[Path, dict]):
    tables = rd.load(demo[0])
    opps = tables["salesforce/opportunity"].set_index("id")
    hist = tables["salesforce/opportunity_field_history"]
    won_at = hist[hist["new_value"] == "Closed Won"].groupby("opportunity_id")["created_date"].min()
    for oid, value in demo[1]["attribution_touches"].items():
        if value["touches"]:
            created = rd.secs(pd.Series([opps.at[oid, "created_date"]])).iloc[0]
            first = rd.secs(pd.Series([value["first_at"]])).iloc[0]
            assert first >= created - LOOKBACK_DAYS * DAY
            assert value["last_at"] <= won_at[oid]
