"""A real-world company: long history, dirty rows, dates past as_of, a marketplace of accounts
sharing one email domain, no stage history, all at once (simulator profile options).

The run must end; every figure must equal the simulator's truth; the rows the warehouse could
not model as they came are counted by a rule (missing_fields), not a reason to stop.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow

CENT = 0.015


@pytest.fixture(scope="module")
def messy(company_factory):
    return company_factory(
        "messy",
        start_year=2012,
        missing_fields=0.05,
        future_dates=3,
        shared_domain_accounts=500,
        stage_history=False,
    )


def test_the_run_succeeds(messy):
    assert messy.returncode == 0, messy.output[-6000:]
    assert "SUCCESS" in messy.output
    assert "opportunity_field_history" in messy.output  # named as absent


def test_the_calendar_holds_the_whole_history(messy):
    first, last = messy.query(
        "select min(date_day), max(date_day) from marts.dim_date where not is_unknown_member"
    )[0]
    start = messy.truth["period"]["start"]
    assert str(first) <= min(start, "2012-01-07") and first.year <= 2012
    # data reaching past as_of: the furthest expected close date is in the calendar
    (far,) = messy.query("select max(close_date) from marts.fct_opportunities")[0]
    assert far <= last
    assert (
        messy.scalar(
            "select count(*) from marts.fct_customer_journey as j "
            "left join marts.dim_date as d on j.occurred_on = d.date_day where d.date_day is null"
        )
        == 0
    )


def test_every_figure_equals_the_truth(messy):
    truth = messy.truth
    assert messy.scalar("select count(*) from marts.fct_opportunities") == truth["opportunities"]
    won = messy.scalar("select sum(amount_usd) from marts.fct_opportunities where is_won")
    assert won == pytest.approx(truth["won_revenue_usd"], abs=CENT)
    bookings = messy.scalar("select sum(bookings_usd) from marts.kpi_revenue_retention")
    assert bookings == pytest.approx(truth["won_revenue_usd"], abs=CENT)
    assert (
        messy.scalar("select count(*) from marts.dim_account where is_customer")
        == (truth["customers"])
    )
    assert messy.scalar("select sum(mqls) from marts.kpi_channel_performance") == truth["mqls"]
    assert (
        messy.scalar("select count(*) from marts.dim_account where not is_unknown_member")
        == truth["accounts"]
    )


def test_a_marketplace_keeps_its_sellers_apart(messy):
    shared = messy.truth["shared_domain"]
    assert shared["accounts"] == 500
    accounts_on_domain = messy.scalar(
        "select count(distinct p.account_id) from marts.dim_person as p "
        f"where p.email_domain = '{shared['domain']}' and p.account_id != '-1'"
    )
    assert accounts_on_domain == shared["accounts"]
    # identity health reports the shared domain for ops to look at, nothing is merged
    findings = messy.scalar(
        "select observed_value from marts.dq_check_results where rule = 'identity_cluster_health'"
    )
    assert findings >= 1


def test_rows_missing_fields_are_counted_not_stopping(messy):
    expected = sum(messy.truth["missing_fields"].values())
    assert expected > 0
    observed = messy.scalar(
        "select observed_value from marts.dq_check_results where rule = 'missing_fields'"
    )
    assert observed == expected
    estimated = messy.scalar(
        "select count(*) from marts.fct_opportunities where is_created_at_estimated"
    )
    assert estimated == messy.truth["missing_fields"]["salesforce/opportunity.created_date"]
    assert messy.scalar("select count(*) from marts.dq_check_results where status = 'FAIL'") == 0
