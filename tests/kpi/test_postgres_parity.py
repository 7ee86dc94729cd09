"""The KPI marts give the same numbers on PostgreSQL as on DuckDB.

The same generated company (the session's landing folder) is loaded into a fresh database on
the local server with the product loader and built with `dbt build` (REVOPS_TARGET=postgres);
then aggregates of every KPI mart - including the engine-specific percentiles and the exact
decimal attribution credits - are compared with the DuckDB warehouse. Dropped at teardown.
The build (tests/kpi/pg_build.py) is shared with the BI access tests (test_bi_postgres.py).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from tests.pg import pg_query

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

# Portable aggregates (DuckDB and PostgreSQL).
QUERIES = {
    "attribution": """
        select attribution_model, scope, count(*), sum(credit),
               sum(revenue_credit_usd)
        from marts.fct_attribution group by attribution_model, scope
        order by attribution_model, scope
    """,
    "attribution_by_channel": """
        select attribution_model, scope, channel, sum(credit)
        from marts.fct_attribution group by attribution_model, scope, channel
        order by attribution_model, scope, channel
    """,
    "channel_effects": """
        select scope, channel, journey_count, converting_journey_count,
               conversion_probability, removal_effect, shapley_value, shapley_method,
               shapley_share, shapley_share_lower, shapley_share_upper,
               learning_opportunity_count, learning_journey_count, bootstrap_draws
        from marts.fct_attribution_channel_effects order by scope, channel
    """,
    "intervals": """
        select scope, attribution_model, channel, conversion_count, share, share_lower,
               share_upper, attributed_revenue_lower_usd, attributed_revenue_upper_usd,
               is_inconclusive
        from marts.kpi_channel_attribution_intervals order by scope, attribution_model, channel
    """,
    "journeys": """
        select scope, journey_kind, is_converting, is_before_touch_history,
               count(distinct journey_id), count(*)
        from marts.fct_attribution_journeys
        group by scope, journey_kind, is_converting, is_before_touch_history
        order by scope, journey_kind, is_converting, is_before_touch_history
    """,
    "channel_attribution": """
        select scope, attribution_model, channel, count(*), sum(attributed_revenue_usd),
               sum(attributed_customers), sum(roas), sum(cac_usd)
        from marts.kpi_channel_attribution group by scope, attribution_model, channel
        order by scope, attribution_model, channel
    """,
    "funnel": """
        select stage_pair, sum(entered_count), sum(converted_count),
               sum(median_days_to_convert),
               sum(p90_days_to_convert)
        from marts.kpi_funnel_conversion group by stage_pair order by stage_pair
    """,
    "channel_performance": """
        select channel, count(*), sum(leads), sum(mqls), sum(sqls), sum(customers),
               sum(spend_usd),
               sum(attributed_revenue_time_decay_usd),
               sum(roas)
        from marts.kpi_channel_performance group by channel order by channel
    """,
    "sales_performance": """
        select segment, count(*), sum(won_count), sum(lost_count), sum(open_opportunities),
               sum(marketing_influenced_pipeline_usd),
               sum(pipeline_velocity_usd_per_day)
        from marts.kpi_sales_performance group by segment order by segment
    """,
    "lead_sla": """
        select count(*), sum(mqls), sum(within_sla_mqls), sum(breached_sla_mqls),
               sum(pending_sla_mqls), sum(sals), sum(rejected_mqls),
               sum(median_speed_to_lead_hours),
               sum(p90_speed_to_lead_hours)
        from marts.kpi_lead_sla
    """,
    "rejections": """
        select rejection_reason, sum(rejected_mqls) from marts.kpi_lead_rejection_reasons
        group by rejection_reason order by rejection_reason
    """,
    "retention": """
        select count(*), sum(customers_at_start), sum(new_customers), sum(churned_customers),
               sum(gross_revenue_retention),
               sum(net_revenue_retention),
               sum(new_bookings_growth_qoq),
               sum(clv_usd)
        from marts.kpi_revenue_retention
    """,
    "scorecard": """
        select metric_name, count(*), sum(metric_value),
               sum(target_value)
        from marts.kpi_weekly_scorecard group by metric_name order by metric_name
    """,
}


def numbers_as_float(rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """Numbers as float (DuckDB returns int128 / Decimal / float, psycopg2 int / Decimal)."""
    return [
        tuple(
            float(v) if isinstance(v, int | float | Decimal) and not isinstance(v, bool) else v
            for v in row
        )
        for row in rows
    ]


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_kpi_marts_agree_between_duckdb_and_postgres(kpi_warehouse, kpi_pg_built, name):
    sql = QUERIES[name]
    duck = numbers_as_float(kpi_warehouse.query(sql))
    pg = numbers_as_float(pg_query(kpi_pg_built, sql))
    assert duck, name
    assert len(pg) == len(duck)
    for pg_row, duck_row in zip(pg, duck, strict=True):
        for pg_value, duck_value in zip(pg_row, duck_row, strict=True):
            if isinstance(duck_value, float) and isinstance(pg_value, float):
                # floating sums may differ in the last bits between engines, nothing more
                assert pg_value == pytest.approx(duck_value, rel=1e-9, abs=1e-9), (name, duck_row)
            else:
                assert pg_value == duck_value, (name, duck_row)
