"""Every KPI mart reconciles with the core marts (fct_customer_journey, fct_opportunities,
dim_person, fct_ad_spend): totals agree, attribution conserves won revenue, rates follow
from their own numerators and denominators. Money agrees period by period under the money
rule (tests/kpi/money.py): a period holding an amount without exchange rate is null on both
sides, never 0."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.kpi.money import assert_same_by_period, core_by_period, mart_by_period

pytestmark = pytest.mark.slow

HALF_CENT = 0.005
SCOPES = ["marketing", "full_funnel"]
MODELS = [
    "first_touch",
    "last_touch",
    "linear",
    "position_based",
    "u_shaped",
    "w_shaped",
    "full_path",
    "time_decay",
    "markov",
    "shapley",
]


def won_by_month(wh) -> dict[str, float | None]:
    return core_by_period(wh, "close_date", "is_won")


def test_won_revenue_by_channel_sums_to_won_revenue(kpi_warehouse):
    wh = kpi_warehouse
    assert wh.scalar("select count(distinct channel) from marts.kpi_channel_performance") > 1
    mart = mart_by_period(wh, "kpi_channel_performance", "won_revenue_usd")
    assert assert_same_by_period(mart, won_by_month(wh), HALF_CENT) >= 6


@pytest.mark.parametrize("model", MODELS)
def test_attributed_revenue_equals_won_revenue(kpi_warehouse, model):
    """Month by month (close month of the won opportunity), every model's column sums over
    channels to the won revenue; a month with an unconverted win is null on both sides."""
    wh = kpi_warehouse
    mart = mart_by_period(wh, "kpi_channel_performance", f"attributed_revenue_{model}_usd")
    assert assert_same_by_period(mart, won_by_month(wh), HALF_CENT, model) >= 6


MONEY_COUNTS = [
    ("kpi_channel_performance", "pipeline_usd", "unconverted_created_opportunities"),
    ("kpi_channel_performance", "won_revenue_usd", "unconverted_won_opportunities"),
    *[
        (
            "kpi_channel_performance",
            f"attributed_revenue_{m}_usd",
            "unconverted_attributed_opportunities",
        )
        for m in MODELS
    ],
    ("kpi_channel_performance", "roas", "unconverted_attributed_opportunities"),
    ("kpi_sales_performance", "pipeline_created_usd", "unconverted_created_opportunities"),
    ("kpi_sales_performance", "won_amount_usd", "unconverted_won_opportunities"),
    ("kpi_sales_performance", "lost_amount_usd", "unconverted_lost_opportunities"),
    ("kpi_sales_performance", "open_pipeline_usd", "unconverted_open_opportunities"),
    ("kpi_sales_monthly", "won_amount_usd", "unconverted_won_opportunities"),
    ("kpi_sales_monthly", "pipeline_created_usd", "unconverted_created_opportunities"),
    ("kpi_sales_monthly", "open_pipeline_usd", "unconverted_open_opportunities"),
    ("kpi_sales_rep_monthly", "won_amount_usd", "unconverted_won_opportunities"),
    ("kpi_sales_rep_monthly", "pipeline_created_usd", "unconverted_created_opportunities"),
    ("kpi_revenue_retention", "bookings_usd", "unconverted_won_opportunities"),
    ("kpi_revenue_retention", "renewal_lost_usd", "unconverted_lost_renewals"),
]


@pytest.mark.parametrize(("mart", "column", "count"), MONEY_COUNTS)
def test_money_is_null_exactly_where_an_amount_is_unconverted(kpi_warehouse, mart, column, count):
    """Never 0 for unknown: a row is null when its count of unconverted amounts is above 0,
    and (for the sums themselves) known otherwise."""
    wh = kpi_warehouse
    assert (
        wh.scalar(f"select count(*) from marts.{mart} where {count} > 0 and {column} is not null")
        == 0
    )
    if column != "roas":
        assert (
            wh.scalar(f"select count(*) from marts.{mart} where {count} = 0 and {column} is null")
            == 0
        )


def test_credits_of_every_conversion_sum_to_exactly_one(kpi_warehouse):
    rows = kpi_warehouse.query(
        "select opportunity_id, attribution_model, scope, sum(credit)"
        " from marts.fct_attribution group by 1, 2, 3"
    )
    won = kpi_warehouse.scalar("select count(*) from marts.fct_opportunities where is_won")
    assert len(rows) == won * len(MODELS) * len(SCOPES)
    assert {model for _, model, _, _ in rows} == set(MODELS)
    assert {scope for _, _, scope, _ in rows} == set(SCOPES)
    assert all(Decimal(total) == Decimal(1) for _, _, _, total in rows)


def test_the_marketing_scope_leaves_sales_activities_out(kpi_warehouse):
    """The default scope credits marketing touches only; full_funnel adds the sales
    activities of the same people and windows, and nothing else."""
    rows = dict(
        kpi_warehouse.query(
            "select scope || ' ' || touch_event_type, count(*) from marts.fct_attribution"
            " where attribution_model = 'linear' group by 1"
        )
    )
    assert rows.get("marketing sales_activity", 0) == 0
    assert rows["full_funnel sales_activity"] > 0
    for event_type in ("web_session", "form_submission", "email_click"):
        assert rows.get(f"marketing {event_type}") == rows.get(f"full_funnel {event_type}")


def test_credits_are_shares(kpi_warehouse):
    assert (
        kpi_warehouse.scalar(
            "select count(*) from marts.fct_attribution where credit < 0 or credit > 1"
        )
        == 0
    )


def test_unattributed_rows_only_for_conversions_without_touches(kpi_warehouse):
    rows = kpi_warehouse.query(
        """
        select opportunity_id, count(*), sum(credit), max(touch_count),
               sum(case when touchpoint_id = 'unattributed' then 1 else 0 end)
        from marts.fct_attribution group by opportunity_id, scope
        having sum(case when touchpoint_id = 'unattributed' then 1 else 0 end) > 0
        """
    )
    for _, n_rows, credit, touches, unattributed in rows:
        assert (n_rows, unattributed, touches) == (len(MODELS), len(MODELS), 0)
        assert Decimal(credit) == len(MODELS)


def test_touches_lie_in_the_attribution_window(kpi_warehouse):
    outside = kpi_warehouse.scalar(
        """
        select count(*) from marts.fct_attribution
        where touchpoint_id != 'unattributed'
          and (touched_at > won_at
               or touched_at < opportunity_created_at - interval 90 day)
        """
    )
    assert outside == 0


def test_single_touch_models_give_everything_to_one_touch(kpi_warehouse):
    rows = kpi_warehouse.query(
        """
        select attribution_model, opportunity_id,
               sum(case when credit = 1 then 1 else 0 end),
               sum(case when credit = 0 then 1 else 0 end), count(*)
        from marts.fct_attribution
        where attribution_model in ('first_touch', 'last_touch')
        group by attribution_model, opportunity_id, scope
        """
    )
    assert rows
    for _, _, ones, zeros, n in rows:
        assert (ones, zeros) == (1, n - 1)


def test_pipeline_reconciles(kpi_warehouse):
    wh = kpi_warehouse
    pipeline = core_by_period(wh, "created_at")
    for mart, column in (
        ("kpi_channel_performance", "pipeline_usd"),
        ("kpi_sales_performance", "pipeline_created_usd"),
    ):
        assert assert_same_by_period(mart_by_period(wh, mart, column), pipeline, HALF_CENT) >= 6
    sourced, influenced, created = wh.query(
        "select sum(marketing_sourced_pipeline_usd), sum(marketing_influenced_pipeline_usd),"
        " sum(pipeline_created_usd) from marts.kpi_sales_performance"
        " where pipeline_created_usd is not null"
    )[0]
    assert 0 < sourced <= created
    assert 0 < influenced <= created


def test_people_counts_reconcile(kpi_warehouse):
    wh = kpi_warehouse
    leads, mqls, sqls = wh.query(
        "select count(became_lead_at), count(became_mql_at), count(became_sql_at)"
        " from marts.dim_person"
    )[0]
    assert wh.query("select sum(leads), sum(mqls), sum(sqls) from marts.kpi_channel_performance")[
        0
    ] == (leads, mqls, sqls)
    entered = dict(
        wh.query(
            "select stage_pair, sum(entered_count) from marts.kpi_funnel_conversion group by 1"
        )
    )
    assert entered["lead_to_mql"] == leads
    assert entered["mql_to_sal"] == mqls
    assert entered["mql_to_sql"] == mqls
    assert wh.scalar("select sum(mqls) from marts.kpi_lead_sla") == mqls


def test_funnel_conversions_are_consistent(kpi_warehouse):
    wh = kpi_warehouse
    assert (
        wh.scalar(
            "select count(*) from marts.kpi_funnel_conversion"
            " where converted_count > entered_count"
            " or abs(conversion_rate - converted_count * 1.0 / entered_count) > 1e-12"
        )
        == 0
    )
    customers = wh.scalar(
        "select count(*) from marts.dim_person"
        " where became_lead_at is not null and became_customer_at is not null"
    )
    assert (
        wh.scalar(
            "select sum(converted_count) from marts.kpi_funnel_conversion"
            " where stage_pair = 'lead_to_customer'"
        )
        == customers
    )


def test_sessions_reconcile_with_the_journey(kpi_warehouse):
    sessions = kpi_warehouse.scalar(
        "select count(*) from marts.fct_customer_journey"
        " where event_type in ('web_session', 'ad_click')"
    )
    assert (
        kpi_warehouse.scalar("select sum(sessions) from marts.kpi_channel_performance") == sessions
    )


def test_spend_reconciles(kpi_warehouse):
    spend = kpi_warehouse.scalar("select sum(spend_usd) from marts.fct_ad_spend")
    for sql in (
        "select sum(spend_usd) from marts.kpi_channel_performance",
        "select sum(ad_spend_usd) from marts.kpi_revenue_retention",
    ):
        assert kpi_warehouse.scalar(sql) == pytest.approx(spend, abs=HALF_CENT), sql


def test_lead_sla_reconciles(kpi_warehouse):
    wh = kpi_warehouse
    assert (
        wh.scalar(
            "select count(*) from marts.kpi_lead_sla"
            " where within_sla_mqls + breached_sla_mqls + pending_sla_mqls != mqls"
            " or worked_mqls > mqls or sals > mqls"
        )
        == 0
    )
    rejected = wh.scalar("select sum(rejected_mqls) from marts.kpi_lead_sla")
    assert wh.scalar("select sum(rejected_mqls) from marts.kpi_lead_rejection_reasons") == rejected
    # the SLA is judged against var lead_sla_hours (24 by default)
    assert (
        wh.scalar(
            "select count(*) from marts.fct_lead_follow_up where sla_status = 'within'"
            " and speed_to_lead_hours > 24"
        )
        == 0
    )


def test_sales_performance_rates_follow_from_their_parts(kpi_warehouse):
    bad = kpi_warehouse.scalar(
        """
        select count(*) from marts.kpi_sales_performance
        where (won_count + lost_count > 0
               and abs(win_rate_by_count - won_count * 1.0 / (won_count + lost_count)) > 1e-12)
           or (won_count > 0
               and abs(average_deal_size_usd - won_amount_usd / won_count) > 1e-6)
           or (sales_cycle_days > 0 and abs(pipeline_velocity_usd_per_day
               - open_opportunities * win_rate_by_count * average_deal_size_usd
                 / sales_cycle_days) > 1e-6)
        """
    )
    assert bad == 0


def test_retention_reconciles(kpi_warehouse):
    wh = kpi_warehouse
    bookings = mart_by_period(wh, "kpi_revenue_retention", "bookings_usd")
    assert assert_same_by_period(bookings, won_by_month(wh), HALF_CENT) >= 6
    new = mart_by_period(wh, "kpi_revenue_retention", "new_bookings_usd")
    new_business = core_by_period(wh, "close_date", "is_won and opportunity_type = 'New Business'")
    assert assert_same_by_period(new, new_business, HALF_CENT) >= 6
    bad = wh.scalar(
        """
        select count(*) from marts.kpi_revenue_retention
        where gross_revenue_retention > 1 + 1e-12
           or net_revenue_retention < gross_revenue_retention - 1e-12
           or customers_at_start < 0
           or (customers_at_start > 0
               and abs(logo_churn_rate - churned_customers * 1.0 / customers_at_start) > 1e-12)
        """
    )
    assert bad == 0


def test_weekly_scorecard_reconciles(kpi_warehouse):
    wh = kpi_warehouse
    weeks = wh.query(
        "select min(week_start), max(week_start), count(distinct week_start),"
        " count(distinct metric_name), count(*) from marts.kpi_weekly_scorecard"
    )[0]
    first, last, n_weeks, n_metrics, n_rows = weeks
    assert n_metrics == 9 and n_rows == n_weeks * n_metrics
    totals = dict(
        wh.query(
            "select metric_name, sum(metric_value) from marts.kpi_weekly_scorecard"
            " where metric_name in ('mqls', 'sqls') group by 1"
        )
    )
    expected = wh.query(
        f"""
        select
            (select count(*) from marts.dim_person
             where date_trunc('week', became_mql_at) between '{first}' and '{last}'),
            (select count(*) from marts.dim_person
             where date_trunc('week', became_sql_at) between '{first}' and '{last}')
        """
    )[0]
    assert totals["mqls"] == expected[0]
    assert totals["sqls"] == expected[1]
    # money week by week, null on both sides in a week with an unconverted amount
    in_range = f"between '{first}' and '{last}'"
    for metric, date_column, where in (
        ("won_revenue_usd", "close_date", "is_won"),
        ("pipeline_created_usd", "created_at", "true"),
    ):
        mart = mart_by_period(
            wh, "kpi_weekly_scorecard", "metric_value", "week_start", f"metric_name = '{metric}'"
        )
        core = core_by_period(
            wh, date_column, f"{where} and date_trunc('week', {date_column}) {in_range}", "week"
        )
        assert assert_same_by_period(mart, core, HALF_CENT, metric) >= 6
        assert (
            wh.scalar(
                "select count(*) from marts.kpi_weekly_scorecard"
                f" where metric_name = '{metric}'"
                " and (metric_value is null) != (unconverted_opportunities > 0)"
            )
            == 0
        ), metric
    assert (
        wh.scalar(
            "select count(*) from marts.kpi_weekly_scorecard where target_value is null"
            " or (previous_value is not null and metric_value is not null"
            "     and abs(wow_change - (metric_value - previous_value)) > 1e-9)"
        )
        == 0
    )


def test_company_monthly_sales_kpis_follow_from_the_opportunities(kpi_warehouse):
    """kpi_sales_monthly (the report's source) against fct_opportunities directly: win rate
    and won amount per close month, not an average of the owners' rates."""
    wh = kpi_warehouse
    core = {
        str(month): (won, lost)
        for month, won, lost in wh.query(
            "select cast(date_trunc('month', close_date) as date),"
            " sum(case when is_won then 1 else 0 end),"
            " sum(case when is_lost then 1 else 0 end)"
            " from marts.fct_opportunities where is_closed group by 1"
        )
    }
    mart = {
        str(month): (won, lost, rate)
        for month, won, lost, rate in wh.query(
            "select month_start, won_count, lost_count, win_rate_by_count"
            " from marts.kpi_sales_monthly"
        )
    }
    compared = 0
    for month, (won, lost) in core.items():
        assert mart[month][:2] == (won, lost), month
        assert mart[month][2] == pytest.approx(won / (won + lost)), month
        compared += won > 0 and lost > 0
    assert compared >= 6
    mart_won = mart_by_period(wh, "kpi_sales_monthly", "won_amount_usd")
    assert assert_same_by_period(mart_won, won_by_month(wh), HALF_CENT) >= 6


def test_rep_monthly_sales_kpis_follow_from_the_opportunities(kpi_warehouse):
    """kpi_sales_rep_monthly (the report's per-rep table) against fct_opportunities and
    dim_owner directly: per close month and owner, won and lost counts, the win rate of those
    counts (not an average of the segments' rates), won amount, and the owner's name."""
    wh = kpi_warehouse
    core = {
        (str(month), owner): (won, lost, amount)
        for month, owner, won, lost, amount in wh.query(
            "select cast(date_trunc('month', close_date) as date), coalesce(owner_id, 'unknown'),"
            " sum(case when is_won then 1 else 0 end),"
            " sum(case when is_lost then 1 else 0 end),"
            " sum(case when is_won then amount_usd else 0 end)"
            " from marts.fct_opportunities where is_closed group by 1, 2"
        )
    }
    mart = {
        (str(month), owner): (won, lost, rate, amount, name)
        for month, owner, won, lost, rate, amount, name in wh.query(
            "select month_start, owner_id, won_count, lost_count, win_rate_by_count,"
            " won_amount_usd, owner_name from marts.kpi_sales_rep_monthly"
        )
    }
    names = dict(wh.query("select owner_id, owner_name from marts.dim_owner"))
    mixed = 0
    for key, (won, lost, amount) in core.items():
        got = mart[key]
        assert got[:2] == (won, lost), key
        assert got[2] == pytest.approx(won / (won + lost)), key
        if got[3] is not None:
            assert got[3] == pytest.approx(float(amount), abs=HALF_CENT), key
        assert got[4] == names[key[1]], key
        mixed += won > 0 and lost > 0
    assert mixed >= 10, "too few owner-months with both wins and losses to test the rate"
    assert len({owner for _, owner in core}) > 5


def test_monthly_marketing_sourced_pipeline_follows_from_the_opportunities(kpi_warehouse):
    """kpi_sales_monthly's marketing-sourced pipeline against fct_opportunities directly: the
    amount of the month's created opportunities whose first touch is a marketing channel."""
    wh = kpi_warehouse
    core = core_by_period(wh, "created_at", "is_marketing_sourced")
    mart = mart_by_period(wh, "kpi_sales_monthly", "marketing_sourced_pipeline_usd")
    assert assert_same_by_period(mart, core, HALF_CENT) >= 6


def test_company_funnel_conversion_is_converted_over_entered_of_all_channels(kpi_warehouse):
    rows = kpi_warehouse.query(
        """
        select m.cohort_month, m.stage_pair, m.conversion_rate,
               sum(c.converted_count) * 1.0 / sum(c.entered_count)
        from marts.kpi_funnel_conversion_monthly as m
        inner join marts.kpi_funnel_conversion as c
            on c.cohort_month = m.cohort_month and c.stage_pair = m.stage_pair
        group by 1, 2, 3
        """
    )
    assert len(rows) > 20
    for month, pair, stored, expected in rows:
        assert stored == pytest.approx(float(expected)), (month, pair)
