"""KPI marts against the simulator's ground truth (simulator/README.md, "Truth definitions").

The truth comes from ground_truth.json only, never from the warehouse. Tolerances:
- money: one cent, because the truth rounds the sum to cents at the end;
- won revenue: the truth skips won opportunities whose currency the exchange-rate seed lacks
  (the injected `unconvertible_currency` disagreement, counted in
  inconsistencies["reconciliation"]); the marts carry them with a null amount_usd, so the
  totals agree exactly and the skipped count is checked on its own.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow

CENT = 0.01


def test_mqls_match_truth(kpi_warehouse):
    truth = kpi_warehouse.truth["mqls"]
    assert kpi_warehouse.scalar("select sum(mqls) from marts.kpi_channel_performance") == truth
    assert kpi_warehouse.scalar("select sum(mqls) from marts.kpi_lead_sla") == truth
    assert kpi_warehouse.scalar("select count(*) from marts.fct_lead_follow_up") == truth


def test_sqls_match_truth(kpi_warehouse):
    truth = kpi_warehouse.truth["sqls"]
    assert kpi_warehouse.scalar("select sum(sqls) from marts.kpi_channel_performance") == truth


def test_customers_match_truth(kpi_warehouse):
    truth = kpi_warehouse.truth["customers"]
    assert (
        kpi_warehouse.scalar("select sum(new_customers) from marts.kpi_revenue_retention") == truth
    )
    assert kpi_warehouse.scalar("select sum(customers) from marts.kpi_channel_performance") == truth


def test_churned_customers_match_truth(kpi_warehouse):
    assert (
        kpi_warehouse.scalar("select sum(churned_customers) from marts.kpi_revenue_retention")
        == kpi_warehouse.truth["churned_customers"]
    )


def test_won_revenue_matches_truth(kpi_warehouse):
    truth = kpi_warehouse.truth["won_revenue_usd"]
    for sql in (
        "select sum(won_revenue_usd) from marts.kpi_channel_performance",
        "select sum(won_amount_usd) from marts.kpi_sales_performance",
        "select sum(bookings_usd) from marts.kpi_revenue_retention",
    ):
        assert kpi_warehouse.scalar(sql) == pytest.approx(truth, abs=CENT), sql


def test_unconvertible_wins_are_the_only_revenue_gap(kpi_warehouse):
    """Wins without a USD amount are exactly the injected unconvertible currencies."""
    missing = kpi_warehouse.scalar(
        "select count(*) from marts.fct_opportunities where is_won and amount_usd is null"
    )
    assert missing == kpi_warehouse.truth["won_opportunities_not_convertible"]


def test_bookings_by_type_match_truth(kpi_warehouse):
    by_type = kpi_warehouse.truth["won_revenue_usd_by_type"]
    new, expansion, renewal = kpi_warehouse.query(
        "select sum(new_bookings_usd), sum(expansion_bookings_usd), sum(renewal_won_usd)"
        " from marts.kpi_revenue_retention"
    )[0]
    assert new == pytest.approx(by_type.get("New Business", 0.0), abs=CENT)
    assert expansion == pytest.approx(by_type.get("Expansion", 0.0), abs=CENT)
    assert renewal == pytest.approx(by_type.get("Renewal", 0.0), abs=CENT)


def test_win_rate_matches_truth(kpi_warehouse):
    truth = kpi_warehouse.truth
    won, lost = kpi_warehouse.query(
        "select sum(won_count), sum(lost_count) from marts.kpi_sales_performance"
    )[0]
    assert (won, lost) == (truth["opportunities_won"], truth["opportunities_lost"])
    expected = truth["opportunities_won"] / (
        truth["opportunities_won"] + truth["opportunities_lost"]
    )
    assert won / (won + lost) == pytest.approx(expected, abs=1e-12)


def test_ad_spend_matches_truth(kpi_warehouse):
    truth = kpi_warehouse.truth
    assert kpi_warehouse.scalar("select sum(spend_usd) from marts.fct_ad_spend") == pytest.approx(
        truth["ad_spend_usd"], abs=CENT
    )
    assert kpi_warehouse.scalar(
        "select sum(spend_usd) from marts.kpi_channel_performance"
    ) == pytest.approx(truth["ad_spend_usd"], abs=CENT)
    by_platform = dict(
        kpi_warehouse.query("select platform, sum(spend_usd) from marts.fct_ad_spend group by 1")
    )
    assert set(by_platform) == set(truth["ad_spend_usd_by_platform"])
    for platform, spend in truth["ad_spend_usd_by_platform"].items():
        assert by_platform[platform] == pytest.approx(spend, abs=CENT), platform


def test_cac_matches_truth(kpi_warehouse):
    """CAC = (ad spend + sales cost, 0 by default) / new customers, over the whole history."""
    truth = kpi_warehouse.truth
    cost, customers = kpi_warehouse.query(
        "select sum(ad_spend_usd + sales_cost_usd), sum(new_customers)"
        " from marts.kpi_revenue_retention"
    )[0]
    assert cost / customers == pytest.approx(truth["ad_spend_usd"] / truth["customers"], abs=CENT)
