"""KPI marts against the simulator's ground truth (simulator/RULES.md, "Truth definitions").

The truth comes from ground_truth.json only, never from the warehouse. Tolerances:
- money: one cent, because the truth rounds the sum to cents at the end;
- won revenue: the truth skips won opportunities whose currency the exchange-rate seed lacks
  (the injected `unconvertible_currency` disagreement, counted in
  inconsistencies["reconciliation"]). The marts carry them with a null amount_usd, and a KPI
  never shows 0 for unknown: the month holding one is null in every money column it enters
  (dbt doc block kpi_unknown_money), with the count beside it. So the marts' known months plus
  the converted won amounts of their null months make the truth; the counts make the truth's
  skipped wins. Without unconvertible wins this is the plain sum of the column.
"""

from __future__ import annotations

import pytest

from tests.kpi.money import converted_by_period, known_plus_converted, mart_by_period

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


WON_REVENUE = (
    ("kpi_channel_performance", "won_revenue_usd"),
    ("kpi_sales_performance", "won_amount_usd"),
    ("kpi_revenue_retention", "bookings_usd"),
)


def test_won_revenue_matches_truth(kpi_warehouse):
    wh = kpi_warehouse
    truth = wh.truth["won_revenue_usd"]
    converted = converted_by_period(wh, "close_date", "is_won")
    for mart, column in WON_REVENUE:
        months = mart_by_period(wh, mart, column)
        assert known_plus_converted(months, converted) == pytest.approx(truth, abs=CENT), mart
        if not wh.truth["won_opportunities_not_convertible"]:
            assert None not in months.values(), mart


def test_unconverted_wins_are_counted_beside_won_revenue(kpi_warehouse):
    """Each mart counts exactly the truth's unconvertible wins, in months whose revenue is null."""
    wh = kpi_warehouse
    expected = wh.truth["won_opportunities_not_convertible"]
    for mart, column in WON_REVENUE:
        assert (
            wh.scalar(f"select sum(unconverted_won_opportunities) from marts.{mart}") == expected
        ), mart
        assert (
            wh.scalar(
                f"select count(*) from marts.{mart}"
                f" where unconverted_won_opportunities > 0 and {column} is not null"
            )
            == 0
        ), mart


def test_unconvertible_wins_are_the_only_revenue_gap(kpi_warehouse):
    """Wins without a USD amount are exactly the injected unconvertible currencies."""
    missing = kpi_warehouse.scalar(
        "select count(*) from marts.fct_opportunities where is_won and amount_usd is null"
    )
    assert missing == kpi_warehouse.truth["won_opportunities_not_convertible"]


def test_bookings_by_type_match_truth(kpi_warehouse):
    wh = kpi_warehouse
    by_type = wh.truth["won_revenue_usd_by_type"]
    for kind, column in (
        ("New Business", "new_bookings_usd"),
        ("Expansion", "expansion_bookings_usd"),
        ("Renewal", "renewal_won_usd"),
    ):
        converted = converted_by_period(wh, "close_date", f"is_won and opportunity_type = '{kind}'")
        months = mart_by_period(wh, "kpi_revenue_retention", column)
        assert known_plus_converted(months, converted) == pytest.approx(
            by_type.get(kind, 0.0), abs=CENT
        ), kind


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
