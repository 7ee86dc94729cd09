"""Real-world companies (simulator profile options), run end to end against the truth:

* messy: history from 2012, rows missing business fields, dates past as_of, a marketplace of
  500 seller accounts whose people share one email domain, no stage history. The run must
  end; every figure must equal the truth; the rows that could not be modelled as they came
  are counted by a rule (missing_fields), not a reason to stop.
* global: trades in BRL and EUR since 2016 with Salesforce's own dated rates (also its ad
  accounts: one bills in EUR, the other in USD), has no stage
  history and writes its channel values the way real tools do ('Paid Search', 'adwords',
  'paid-social', '(none)'...) and its opportunity types the way real orgs do ('New Customer',
  'Existing Customer - Upgrade', 'Upsell'..., a fifth of them empty). Won revenue in the
  reporting currency, MQLs, wins and revenue per channel on one basis, the touches attribution
  gives each win (touches of the close day included), new customers, SQLs and bookings per
  opportunity type must equal the truth; no channel is 'unmapped'. Its run is also the
  end-to-end run of a user (the as_of given with an offset, the console summary, the Dagster
  instance).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from orchestration.dbt_project import target_dir
from orchestration.run_settings import format_as_of, resolve_as_of
from tests.companies.conftest import given_as_of
from tests.parse_once import warehouse_link

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


@pytest.fixture(scope="module")
def global_company(company_factory):
    return company_factory(
        "global",
        start_year=2016,
        currencies="BRL,EUR",
        ad_currencies="EUR,USD",
        stage_history=False,
        channel_spellings="vendor",
        inconsistency_rate=0.0,
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
    # an MQL contact whose email is missing can only be linked by ids: where none links it,
    # the warehouse rightly sees one more person; never fewer MQLs, at most one per such contact
    mqls = messy.scalar("select sum(mqls) from marts.kpi_channel_performance")
    blank = truth["missing_fields"]["hubspot/contact.property_email"]
    assert truth["mqls"] <= mqls <= truth["mqls"] + blank
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
        "select observed_value from quality.dq_check_results where rule = 'identity_cluster_health'"
    )
    assert findings >= 1


def test_rows_missing_fields_are_counted_not_stopping(messy):
    expected = sum(messy.truth["missing_fields"].values())
    assert expected > 0
    observed = messy.scalar(
        "select observed_value from quality.dq_check_results where rule = 'missing_fields'"
    )
    assert observed == expected
    estimated = messy.scalar(
        "select count(*) from marts.fct_opportunities where is_created_at_estimated"
    )
    assert estimated == messy.truth["missing_fields"]["salesforce/opportunity.created_date"]
    assert messy.scalar("select count(*) from quality.dq_check_results where status = 'FAIL'") == 0


def test_global_company_runs_and_its_revenue_converts(global_company):
    company = global_company
    assert company.returncode == 0, company.output[-6000:]
    truth = company.truth
    won = company.scalar("select sum(amount_usd) from marts.fct_opportunities where is_won")
    assert won == pytest.approx(truth["won_revenue_usd"], abs=CENT)
    by_currency = dict(
        company.query(
            "select currency_code, count(*) from marts.fct_opportunities "
            "where is_won and fx_rate_source = 'salesforce_dated' group by 1"
        )
    )
    assert set(by_currency) == {"BRL", "EUR"}
    assert (
        company.scalar(
            "select count(*) from marts.fct_opportunities where amount is not null "
            "and amount_usd is null"
        )
        == 0
    )
    bookings = company.scalar("select sum(bookings_usd) from marts.kpi_revenue_retention")
    assert bookings == pytest.approx(truth["won_revenue_usd"], abs=CENT)


def test_ad_spend_in_the_accounts_currencies_converts_to_the_truth(global_company):
    """Ad accounts billed in EUR and USD: every platform's spend in the marts is the truth's
    (the written amounts converted back by the simulator), EUR with Salesforce's dated rates
    of the org (they come before the seed), and CAC's cost carries all of it."""
    company = global_company
    truth = company.truth
    assert company.truth["profile"]["ad_currencies"] == ["EUR", "USD"]
    by_platform = dict(
        company.query("select platform, sum(spend_usd) from marts.fct_ad_spend group by 1")
    )
    assert set(by_platform) == set(truth["ad_spend_usd_by_platform"])
    for platform, spend in truth["ad_spend_usd_by_platform"].items():
        assert by_platform[platform] == pytest.approx(spend, abs=CENT), platform
    sources = dict(
        company.query(
            "select currency_code, min(fx_rate_source) || '/' || max(fx_rate_source) "
            "from marts.fct_ad_spend group by 1"
        )
    )
    assert sources == {"EUR": "salesforce_dated/salesforce_dated", "USD": "identity/identity"}
    cost = company.scalar("select sum(ad_spend_usd) from marts.kpi_revenue_retention")
    assert cost == pytest.approx(truth["ad_spend_usd"], abs=CENT)
    # the run's summary says in which currencies the amounts came
    lines = [line.strip() for line in company.output.splitlines()]
    assert "ad spend came in EUR, USD" in lines
    assert "money: every amount in the marts is in USD (dbt var reporting_currency)" in lines


def test_vendor_spellings_map_to_channels_on_one_basis(global_company):
    company = global_company
    truth = company.truth
    assert (
        company.scalar("select count(*) from marts.fct_customer_journey where channel = 'unmapped'")
        == 0
    )
    assert (
        company.scalar(
            "select count(*) from marts.kpi_channel_performance where channel = 'unmapped'"
        )
        == 0
    )
    excluded = set(truth.get("by_channel_excluded", {}))
    assert not excluded, excluded
    rows = company.query(
        "select channel, sum(mqls), sum(won_opportunities), sum(won_revenue_usd) "
        "from marts.kpi_channel_performance group by channel"
    )
    marts = {channel: (mqls, wins, revenue) for channel, mqls, wins, revenue in rows}
    for channel, expected in truth["by_channel"].items():
        mqls, wins, revenue = marts.get(channel, (0, 0, 0.0))
        assert (mqls, wins) == (expected["mqls"], expected["won_opportunities"]), channel
        assert (revenue or 0.0) == pytest.approx(expected["won_revenue_usd"], abs=CENT), channel


def test_vendor_opportunity_types_give_the_new_business_figures_of_the_truth(global_company):
    """Types written as Salesforce's defaults and other spellings, or left empty, resolve to
    the planned ones (the truth reads the plan, never the text): a literal 'New Business'
    match finds only the rows that happen to be spelled so."""
    company = global_company
    truth = company.truth
    sources = dict(
        company.query(
            "select opportunity_type_source, count(*) from marts.fct_opportunities group by 1"
        )
    )
    assert sources.get("inferred_missing", 0) > 0 and "inferred_unmapped" not in sources
    customers = company.scalar("select sum(new_customers) from marts.kpi_revenue_retention")
    assert customers == truth["customers"] > 0
    assert company.scalar("select count(*) from marts.dim_account where is_customer") == customers
    assert company.scalar("select sum(customers) from marts.kpi_channel_performance") == customers
    assert company.scalar("select sum(sqls) from marts.kpi_channel_performance") == truth["sqls"]
    new, expansion, renewal = company.query(
        "select sum(new_bookings_usd), sum(expansion_bookings_usd), sum(renewal_won_usd) "
        "from marts.kpi_revenue_retention"
    )[0]
    by_type = truth["won_revenue_usd_by_type"]
    assert new == pytest.approx(by_type["New Business"], abs=CENT)
    assert expansion == pytest.approx(by_type["Expansion"], abs=CENT)
    assert renewal == pytest.approx(by_type["Renewal"], abs=CENT)
    # the Shapley model learns from every closed New Business opportunity, the inferred ones
    # too, created since the scope's touch history began (its earliest touch of a known person)
    learning = company.scalar(
        "select max(learning_opportunity_count) from marts.fct_attribution_channel_effects "
        "where scope = 'full_funnel'"
    )
    closed_new = company.scalar(
        "select count(*) from marts.fct_opportunities "
        "where opportunity_type = 'New Business' and (is_won or is_lost) and created_at >= ("
        "select min(occurred_at) from marts.fct_customer_journey where person_id != '-1' and "
        "event_type in ('web_session', 'ad_click', 'form_submission', 'email_click', "
        "'sales_activity'))"
    )
    assert learning == closed_new > 0
    # every type written is mapped or missing: rule 11 has nothing to report
    coverage = company.scalar(
        "select observed_value from quality.dq_check_results where rule = 'mapping_coverage'"
    )
    assert coverage == truth["inconsistencies"]["mapping_coverage"] == 0


def test_attribution_counts_every_touch_up_to_the_end_of_the_close_day(global_company):
    company = global_company
    truth = company.truth["attribution_touches"]
    assert truth
    rows = company.query(
        "select opportunity_id, count(*), min(touched_at), max(touched_at) "
        "from marts.fct_attribution where attribution_model = 'linear' "
        "and scope = 'full_funnel' "
        "and touch_event_type != 'unattributed' group by opportunity_id"
    )
    marts = {opp: (n, first, last) for opp, n, first, last in rows}
    for opportunity, expected in truth.items():
        n, first, last = marts.get(opportunity, (0, None, None))
        assert n == expected["touches"], opportunity
        if n:
            assert first.strftime("%Y-%m-%dT%H:%M:%SZ") == expected["first_at"], opportunity
            assert last.strftime("%Y-%m-%dT%H:%M:%SZ") == expected["last_at"], opportunity
    # the case this is for: touches on the close day itself, after its midnight
    close_day = company.scalar(
        "select count(*) from marts.fct_attribution where attribution_model = 'linear' "
        "and scope = 'full_funnel' "
        "and touch_event_type != 'unattributed' and cast(touched_at as date) = close_date"
    )
    assert close_day > 0


def _dbt_steps_of_run(output: str) -> list[Path]:
    """The target folders of the dbt steps of the run named in its output (dagster-dbt's)."""
    run_id = re.search(r"run-([0-9a-f-]{36})\.log", output)
    assert run_id, output[-2000:]
    return sorted(target_dir().glob(f"revops_dbt_*-{run_id.group(1)[:7]}-*"))


def test_as_of_given_with_an_offset_is_one_utc_instant_in_every_step(global_company):
    """`revops run --as-of 2026-01-01T02:00:00+02:00` as a user runs it: dbt's vars, the
    checks' clock and the report's period all hold the same UTC instant, the simulator's
    as_of; the console ends with the summary; the run is in the Dagster instance the UI reads."""
    company = global_company
    assert company.returncode == 0, company.output[-6000:]
    as_of = resolve_as_of(company.truth["as_of"])
    given = given_as_of(company.truth)
    assert given.endswith("+02:00") and given[11:13] != company.truth["as_of"][11:13]
    dbt_steps = _dbt_steps_of_run(company.output)
    assert len(dbt_steps) == 2, dbt_steps  # the core and the KPI step
    for step in dbt_steps:
        # the vars dbt received, and the as_of it read from them (its on-run-start log line)
        dbt_vars = json.loads((step / "run_results.json").read_text())["args"]["vars"]
        assert dbt_vars["as_of"] == format_as_of(as_of), (step, dbt_vars)
        said = f"as_of = {as_of:%Y-%m-%d %H:%M:%S} UTC (var as_of)"
        # dbt rotates its log at 10 MB: the notice may be in dbt.log.1 (the first lines)
        logs = "".join(log.read_text() for log in step.glob("dbt.log*"))
        assert said in logs, (step, sorted(p.name for p in step.glob("dbt.log*")))
    checked = company.query("select distinct data_as_of from quality.dq_check_results")
    assert checked == [(as_of,)]
    work = company.db_path.parent
    report = (work / "reports" / "weekly_report.md").read_text()
    assert f"As of {as_of:%Y-%m-%d %H:%M} UTC" in report

    assert "rows per mart:" in company.output and "checks:" in company.output
    # the path the run was given (the test worker's link to it: tests/parse_once.py)
    assert f"warehouse: {warehouse_link(company.db_path)}" in company.output
    assert f"report: {work / 'reports' / 'weekly_report.html'}" in company.output
    assert company.scalar("select count(*) from marts.fct_customer_journey") > 0
    assert any((work / "dagster_home").rglob("*.db"))
