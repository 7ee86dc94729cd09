"""The semantic layer answers like the marts: `mf query` (MetricFlow CLI, DuckDB target).

Money metrics follow the money rule (tests/kpi/money.py): null, never 0, for a period holding an
amount without exchange rate, as the marts are.
"""

from __future__ import annotations

import pytest

from tests.kpi.money import core_by_period, mart_by_period

pytestmark = pytest.mark.slow

TOL = 1e-6


def num(value: str) -> float | None:
    return None if value in ("", None) else float(value)


def day(value: str) -> str:
    """'2025-03-01 00:00:00' -> '2025-03-01'."""
    return value[:10]


def assert_periods_match(rows, metric: str, period: str, expected) -> int:
    """Each period of the mf rows: null where expected is unknown (None), else equal (an empty
    period may be null in mf and 0 in the marts)."""
    compared = 0
    for row in rows:
        key = day(row[period])
        if not key:
            continue
        want, got = expected.get(key, 0.0), num(row[metric])
        if want is None:
            assert got is None, (metric, key, got)
        else:
            assert (got or 0.0) == pytest.approx(want, abs=0.005), (metric, key)
            compared += 1
    return compared


def matches(got: float | None, expected, where) -> int:
    """1 when a stored value was compared: null where the mart's value is null, else equal
    within TOL; 0 for a null."""
    if expected is None:
        assert got is None, where
        return 0
    assert got == pytest.approx(expected, rel=TOL, abs=TOL), where
    return 1


def compare_rows(rows, names: list[str], stored: dict, key_of) -> int:
    """How many values of the mf ``rows`` were compared: each row's metrics ``names`` against
    the values ``stored`` for its key (in the order of ``names``); a key nothing stored is
    skipped."""
    compared = 0
    for row in rows:
        key = key_of(row)
        if key not in stored:
            continue
        for name, expected in zip(names, stored[key], strict=True):
            compared += matches(num(row[name]), expected, (key, name))
    return compared


def month_of(row) -> str:
    return day(row["metric_time__month"])


def test_totals_match_the_marts(kpi_warehouse):
    wh = kpi_warehouse
    metrics = [
        "won_revenue",
        "mqls",
        "sqls",
        "ad_spend",
        "pipeline_created",
        "new_bookings",
        "attributed_revenue_linear",
        "attributed_revenue_w_shaped",
        "new_customers",
    ]
    rows = wh.mf(metrics, ["metric_time__year"])
    totals = {m: sum(num(r[m]) or 0.0 for r in rows if r["metric_time__year"]) for m in metrics}
    # fct_attribution sums the converted credits: the converted won amounts
    won = wh.scalar("select sum(amount_usd) from marts.fct_opportunities where is_won")
    assert totals["attributed_revenue_linear"] == pytest.approx(won, abs=0.005)
    assert totals["attributed_revenue_w_shaped"] == pytest.approx(won, abs=0.005)
    assert totals["mqls"] == wh.truth["mqls"]
    assert totals["sqls"] == wh.truth["sqls"]
    assert totals["new_customers"] == wh.truth["customers"]
    assert totals["ad_spend"] == pytest.approx(wh.truth["ad_spend_usd"], abs=0.01)
    year = "metric_time__year"
    won_by_year = core_by_period(wh, "close_date", "is_won", "year")
    assert assert_periods_match(rows, "won_revenue", year, won_by_year) >= 1
    assert (
        assert_periods_match(
            rows,
            "pipeline_created",
            year,
            mart_by_period(
                wh,
                "kpi_sales_performance",
                "pipeline_created_usd",
                "date_trunc('year', month_start)",
            ),
        )
        >= 1
    )
    assert (
        assert_periods_match(
            rows,
            "new_bookings",
            year,
            mart_by_period(
                wh, "kpi_revenue_retention", "new_bookings_usd", "date_trunc('year', month_start)"
            ),
        )
        >= 1
    )


def test_monthly_sales_metrics_match_kpi_sales_monthly(kpi_warehouse):
    """The sales ratio metrics add up kpi_sales_performance's stored numerators and denominators
    (month x owner x segment): by month they equal the company-wide mart's stored rates."""
    wh = kpi_warehouse
    names = [
        "win_rate",
        "win_rate_by_value",
        "average_deal_size",
        "sales_cycle_days",
        "open_opportunities",
        "pipeline_velocity",
    ]
    rows = wh.mf(names, ["metric_time__month"])
    mart = {
        str(r[0]): r[1:]
        for r in wh.query(
            "select month_start, win_rate_by_count, win_rate_by_value, average_deal_size_usd,"
            " sales_cycle_days, open_opportunities, pipeline_velocity_usd_per_day"
            " from marts.kpi_sales_monthly"
        )
    }
    compared = {name: 0 for name in names}
    for row in rows:
        month = month_of(row)
        if month not in mart:
            continue
        for name, expected in zip(names, mart[month], strict=True):
            got = num(row[name])
            if name == "open_opportunities" and expected is not None:
                assert (got or 0) == expected, (month, name)
                compared[name] += 1
            else:
                compared[name] += matches(got, expected, (month, name))
    assert min(compared.values()) >= 1, compared
    assert compared["win_rate"] >= 6


def test_lead_follow_up_metrics_match_the_fact(kpi_warehouse):
    """SLA compliance, MQL acceptance and rejection and average speed to lead read kpi_lead_sla's
    stored counts; by MQL month they equal the same ratios counted on fct_lead_follow_up."""
    wh = kpi_warehouse
    names = [
        "sla_compliance_rate",
        "mql_acceptance_rate",
        "mql_rejection_rate",
        "avg_speed_to_lead_hours",
    ]
    rows = wh.mf(names, ["metric_time__month"])
    fact = {
        str(r[0]): r[1:]
        for r in wh.query(
            "select cast(date_trunc('month', mql_at) as date),"
            " sum(case when sla_status = 'within' then 1 else 0 end),"
            " sum(case when sla_status in ('within', 'breached') then 1 else 0 end),"
            " sum(case when is_accepted then 1 else 0 end),"
            " sum(case when is_rejected then 1 else 0 end), count(*),"
            " sum(speed_to_lead_hours), sum(case when is_worked then 1 else 0 end)"
            " from marts.fct_lead_follow_up group by 1"
        )
    }
    compared = 0
    for row in rows:
        month = month_of(row)
        if month not in fact:
            continue
        within, decided, accepted, rejected, mqls, hours, worked = fact[month]
        expected = {
            "sla_compliance_rate": within / decided if decided else None,
            "mql_acceptance_rate": accepted / mqls,
            "mql_rejection_rate": rejected / mqls,
            "avg_speed_to_lead_hours": hours / worked if worked else None,
        }
        for name, want in expected.items():
            compared += matches(num(row[name]), want, (month, name))
    assert compared >= 12


def test_retention_metrics_match_kpi_revenue_retention(kpi_warehouse):
    wh = kpi_warehouse
    names = ["gross_revenue_retention", "net_revenue_retention", "logo_churn_rate", "cac", "clv"]
    rows = wh.mf(names, ["metric_time__month"])
    mart = {
        str(r[0]): r[1:]
        for r in wh.query(
            "select month_start, gross_revenue_retention, net_revenue_retention,"
            " logo_churn_rate, cac_usd, clv_usd from marts.kpi_revenue_retention"
        )
    }
    assert compare_rows(rows, names, mart, month_of) >= 12


def test_channel_cost_metrics_match_kpi_channel_performance(kpi_warehouse):
    wh = kpi_warehouse
    names = ["cost_per_lead", "cost_per_mql", "channel_cac", "roas"]
    rows = wh.mf(names, ["metric_time__month", "channel_month__channel"])
    mart = {
        (str(r[0]), r[1]): r[2:]
        for r in wh.query(
            "select month_start, channel, cost_per_lead_usd, cost_per_mql_usd, cac_usd, roas"
            " from marts.kpi_channel_performance"
        )
    }

    def key_of(row) -> tuple[str, str]:
        return month_of(row), row["channel_month__channel"]

    assert [key_of(row) for row in rows if key_of(row) not in mart] == []
    assert compare_rows(rows, names, mart, key_of) > 0


def test_weekly_scorecard_saved_query_matches_the_mart(kpi_warehouse):
    wh = kpi_warehouse
    rows = wh.mf(saved_query="weekly_scorecard")
    mart = {
        (str(week), metric): value
        for week, metric, value in wh.query(
            "select week_start, metric_name, metric_value from marts.kpi_weekly_scorecard"
            " where metric_name in ('mqls', 'sqls', 'won_revenue_usd',"
            " 'pipeline_created_usd', 'median_speed_to_lead_hours')"
        )
    }
    names = {
        "mqls": "mqls",
        "sqls": "sqls",
        "won_revenue": "won_revenue_usd",
        "pipeline_created": "pipeline_created_usd",
        "speed_to_lead_hours": "median_speed_to_lead_hours",
    }
    compared = 0
    for row in rows:
        week = day(row["metric_time__week"])
        for metric, mart_name in names.items():
            if (week, mart_name) not in mart:
                continue
            expected = mart[(week, mart_name)]
            got = num(row[metric])
            if expected in (None, 0) and got in (None, 0):
                continue
            assert got == pytest.approx(expected, rel=TOL, abs=TOL), (week, metric)
            compared += 1
    assert compared >= 50
