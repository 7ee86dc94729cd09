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


def test_monthly_sales_metrics_match_kpi_sales_performance(kpi_warehouse):
    wh = kpi_warehouse
    rows = wh.mf(
        ["win_rate", "average_deal_size", "sales_cycle_days", "open_opportunities"],
        ["metric_time__month"],
    )
    mart = {
        str(month): (won, lost, won_usd, cycle, open_count)
        for month, won, lost, won_usd, cycle, open_count in wh.query(
            "select month_start, sum(won_count), sum(lost_count),"
            " case when count(*) > count(won_amount_usd) then null else sum(won_amount_usd) end,"
            " sum(sales_cycle_days_sum), sum(open_opportunities)"
            " from marts.kpi_sales_performance group by 1"
        )
    }
    checked = 0
    for row in rows:
        month = day(row["metric_time__month"])
        if month not in mart:
            continue
        won, lost, won_usd, cycle, open_count = mart[month]
        if won + lost:
            assert num(row["win_rate"]) == pytest.approx(won / (won + lost), abs=TOL), month
            checked += 1
        if won and won_usd is None:
            assert num(row["average_deal_size"]) is None, month
        elif won:
            assert num(row["average_deal_size"]) == pytest.approx(won_usd / won, rel=TOL)
            assert num(row["sales_cycle_days"]) == pytest.approx(cycle / won, rel=TOL)
        assert (num(row["open_opportunities"]) or 0) == open_count, month
    assert checked >= 6


def test_retention_metrics_match_kpi_revenue_retention(kpi_warehouse):
    wh = kpi_warehouse
    rows = wh.mf(
        ["gross_revenue_retention", "net_revenue_retention", "logo_churn_rate", "cac", "clv"],
        ["metric_time__month"],
    )
    mart = {
        str(r[0]): r[1:]
        for r in wh.query(
            "select month_start, gross_revenue_retention, net_revenue_retention,"
            " logo_churn_rate, cac_usd, clv_usd from marts.kpi_revenue_retention"
        )
    }
    compared = 0
    for row in rows:
        month = day(row["metric_time__month"])
        if month not in mart:
            continue
        for name, expected in zip(
            ["gross_revenue_retention", "net_revenue_retention", "logo_churn_rate", "cac", "clv"],
            mart[month],
            strict=True,
        ):
            got = num(row[name])
            if expected is None:
                assert got is None, (month, name)
            else:
                assert got == pytest.approx(expected, rel=TOL, abs=TOL), (month, name)
                compared += 1
    assert compared >= 12


def test_channel_cost_metrics_match_kpi_channel_performance(kpi_warehouse):
    wh = kpi_warehouse
    rows = wh.mf(
        ["cost_per_lead", "cost_per_mql", "channel_cac", "roas"],
        ["metric_time__month", "channel_month__channel"],
    )
    mart = {
        (str(r[0]), r[1]): r[2:]
        for r in wh.query(
            "select month_start, channel, cost_per_lead_usd, cost_per_mql_usd, cac_usd, roas"
            " from marts.kpi_channel_performance"
        )
    }
    compared = 0
    for row in rows:
        key = (day(row["metric_time__month"]), row["channel_month__channel"])
        assert key in mart, key
        for name, expected in zip(
            ["cost_per_lead", "cost_per_mql", "channel_cac", "roas"], mart[key], strict=True
        ):
            got = num(row[name])
            if expected is None:
                assert got is None, (key, name)
            else:
                assert got == pytest.approx(expected, rel=TOL, abs=TOL), (key, name)
                compared += 1
    assert compared > 0


def test_weekly_scorecard_saved_query_matches_the_mart(kpi_warehouse):
    wh = kpi_warehouse
    rows = wh.mf(saved_query="weekly_scorecard")
    mart = {
        (str(week), metric): value
        for week, metric, value in wh.query(
            "select week_start, metric_name, metric_value from marts.kpi_weekly_scorecard"
            " where metric_name in ('mqls', 'sqls', 'won_revenue_usd', 'win_rate',"
            " 'pipeline_created_usd', 'median_speed_to_lead_hours', 'sla_compliance_rate')"
        )
    }
    names = {
        "mqls": "mqls",
        "sqls": "sqls",
        "won_revenue": "won_revenue_usd",
        "pipeline_created": "pipeline_created_usd",
        "win_rate": "win_rate",
        "speed_to_lead_hours": "median_speed_to_lead_hours",
        "sla_compliance_rate": "sla_compliance_rate",
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
