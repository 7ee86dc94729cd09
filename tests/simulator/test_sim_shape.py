"""The company looks like a B2B company: funnel rates, cycle length, linear growth."""

from __future__ import annotations

from pathlib import Path

import sim_rederive as rd

from simulator import generate


def test_funnel_shape(demo: tuple[Path, dict]):
    t = rd.load(demo[0])
    opps = rd.live(t["salesforce/opportunity"])
    closed = opps[
        rd.truthy(opps["is_closed"]) & opps["close_date"].between("2025-01-01", "2025-12-31")
    ]
    win_rate = rd.truthy(closed["is_won"]).mean()
    assert len(closed) >= 30
    assert 0.20 <= win_rate <= 0.60, win_rate
    leads = rd.live(t["salesforce/lead"])
    won_nb = opps[rd.truthy(opps["is_won"]) & (opps["type"] == "New Business")]
    from_leads = won_nb[won_nb["id"].isin(leads["converted_opportunity_id"])]
    lead_to_won = len(from_leads) / len(leads)
    assert 0.02 <= lead_to_won <= 0.15, lead_to_won
    cycle = rd.days(won_nb["close_date"]) - rd.days(won_nb["created_date"])
    assert 14 <= cycle.median() <= 120, cycle.median()
    assert cycle.quantile(0.9) > 1.8 * cycle.median()  # a long tail
    assert set(opps["type"]) == {"New Business", "Expansion", "Renewal"}
    assert {"USD", "EUR", "GBP"} <= set(opps["currency_iso_code"])


def test_channels_convert_differently(demo: tuple[Path, dict]):
    hs = rd.live(rd.load(demo[0])["hubspot/contact"], "_fivetran_deleted")
    hs = hs[
        hs["property_hs_analytics_source"].isin(
            ["PAID_SOCIAL", "REFERRALS", "OFFLINE", "ORGANIC_SEARCH", "PAID_SEARCH"]
        )
    ]
    mql = hs["property_hs_lifecyclestage_marketingqualifiedlead_date"] != ""
    rates = mql.groupby(hs["property_hs_analytics_source"]).mean()
    assert rates.max() - rates.min() > 0.1, rates.to_dict()


def test_some_deals_were_won_before_any_marketing_touch(demo: tuple[Path, dict]):
    t = rd.load(demo[0])
    sessions = t["web/sessions"]
    first_touch = rd.secs(sessions["started_at"]).min()
    opps = rd.live(t["salesforce/opportunity"])
    won = opps[rd.truthy(opps["is_won"])]
    assert (rd.secs(won["close_date"]) < first_touch).sum() >= 1


def test_rows_grow_linearly_with_scale(tmp_path: Path, demo: tuple[Path, dict]):
    small = generate(tmp_path / "s", scale=0.05, seed=2)
    large = generate(tmp_path / "l", scale=0.1, seed=2)
    ratio = sum(large["rows"].values()) / sum(small["rows"].values())
    assert 1.8 <= ratio <= 2.2, ratio
    for table in (
        "hubspot/contact",
        "hubspot/email_event",
        "web/sessions",
        "ads/ad_stats",
        "salesforce/lead",
    ):
        r = large["rows"][table] / small["rows"][table]
        assert 1.6 <= r <= 2.4, (table, r)
