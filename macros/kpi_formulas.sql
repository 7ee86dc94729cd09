{#-
    The formulas of the ratio KPIs that several marts publish at different grains (per owner,
    per channel, per week, company-wide): the only place their arithmetic is written. A mart
    calls the macro with its grain's numerator and denominator (stored columns, or their sums
    when it rolls a finer mart up), so the values cannot drift apart. A KPI that one mart alone
    publishes keeps its formula in that mart. Null when the denominator is 0 (safe_divide).
    A ratio's denominator that is not a plain count is a macro of its own here too, and the
    marts store it (kpi_sales_performance.closed_count, kpi_lead_sla.sla_decided_mqls): the
    MetricFlow measures sum the stored column, so a change of formula made here reaches the
    marts, the weekly scorecard and the semantic layer alike.
-#}

{#- win rate's denominator: the opportunities (or amounts) decided, won + lost -#}
{% macro kpi_closed(won, lost) -%}
    ({{ won }}) + ({{ lost }})
{%- endmacro %}

{#- win rate by count (won / (won + lost)) or by value (won amount / (won + lost amount)) -#}
{% macro kpi_win_rate(won, lost) -%}
    {{ safe_divide(won, kpi_closed(won, lost)) }}
{%- endmacro %}

{#- average deal size: won amount / won opportunities -#}
{% macro kpi_average_deal_size(won_amount, won_count) -%}
    {{ safe_divide(won_amount, won_count) }}
{%- endmacro %}

{#- sales cycle: days from creation to close summed over won opportunities / won opportunities -#}
{% macro kpi_sales_cycle_days(cycle_days_sum, won_count) -%}
    {{ safe_divide(cycle_days_sum, won_count) }}
{%- endmacro %}

{#- pipeline velocity: open opportunities x win rate x average deal size / sales cycle (days) -#}
{% macro kpi_pipeline_velocity(open_count, win_rate, deal_size, cycle_days) -%}
    {{ safe_divide(
        '(' ~ open_count ~ ') * (' ~ win_rate ~ ') * (' ~ deal_size ~ ')', cycle_days
    ) }}
{%- endmacro %}

{#- stage conversion: people who reached the later stage / people who entered the earlier one -#}
{% macro kpi_conversion_rate(converted, entered) -%}
    {{ safe_divide(converted, entered) }}
{%- endmacro %}

{#- lead SLA compliance's denominator: the MQLs whose SLA is decided, within + breached
    (pending MQLs, whose clock still runs, are left out) -#}
{% macro kpi_sla_decided(within, breached) -%}
    ({{ within }}) + ({{ breached }})
{%- endmacro %}

{#- lead SLA compliance: worked within the SLA / (within + breached) -#}
{% macro kpi_sla_compliance(within, breached) -%}
    {{ safe_divide(within, kpi_sla_decided(within, breached)) }}
{%- endmacro %}
