"""by_channel: MQLs, wins and won revenue per channel on the marts' channel basis."""

from __future__ import annotations

from pathlib import Path

import pytest
import sim_rederive as rd

from simulator import generate


def assert_by_channel(folder: Path, truth: dict, rates: rd.Rates) -> None:
    derived, excluded = rd.by_channel(rd.load(folder), rates)
    assert excluded == set(truth["by_channel_excluded"])
    assert truth["by_channel"].keys() == derived.keys()
    for channel, row in derived.items():
        got = truth["by_channel"][channel]
        assert got["mqls"] == row["mqls"], channel
        assert got["won_opportunities"] == row["won_opportunities"], channel
        assert got["won_revenue_usd"] == pytest.approx(row["won_revenue_usd"], abs=0.02), channel


def assert_adds_up(truth: dict) -> None:
    rows = truth["by_channel"].values()
    assert sum(r["mqls"] for r in rows) == truth["mqls"]
    won = sum(r["won_opportunities"] for r in rows)
    assert won + len(truth["by_channel_excluded"]) == truth["opportunities_won"]
    if not truth["by_channel_excluded"]:
        revenue = sum(r["won_revenue_usd"] for r in rows)
        assert revenue == pytest.approx(
            truth["won_revenue_usd"], abs=0.01 * len(truth["by_channel"])
        )


@pytest.mark.parametrize("which", ["demo", "clean", "vendor"])
def test_by_channel_matches_the_files(which: str, request: pytest.FixtureRequest, rates: rd.Rates):
    folder, truth = request.getfixturevalue(which)
    assert_by_channel(folder, truth, rates)
    assert_adds_up(truth)
    assert truth["by_channel_excluded"] == {}
    busy = [c for c, r in truth["by_channel"].items() if r["won_opportunities"]]
    assert len(busy) >= 4, busy


def test_spellings_do_not_move_a_channel(demo: tuple[Path, dict], vendor: tuple[Path, dict]):
    assert vendor[1]["by_channel"] == demo[1]["by_channel"]


@pytest.mark.parametrize(
    "options",
    [
        {"missing_fields": 0.3},
        {"profile": "crm-leads"},
        {"profile": "crm-only"},
        {"shared_domain_accounts": 12, "future_dates": 3},
        {"stage_history": False, "start_year": 2012, "currencies": "BRL,EUR"},
        {"batch": 2},
    ],
    ids=lambda o: ",".join(f"{k}={v}" for k, v in o.items()),
)
def test_by_channel_of_other_shapes(options: dict, tmp_path: Path, rates: rd.Rates):
    truth = generate(tmp_path, scale=0.04, seed=11, **options)
    assert_adds_up(truth)
    if "batch" not in options:  # a batch dir holds a delta: its truth is cumulative
        assert_by_channel(tmp_path, truth, rates)
    if options.get("profile") == "crm-leads":
        # no contact roles: converted leads of different channels can tie
        for reason in truth["by_channel_excluded"].values():
            assert "person_id" in reason
