{#-
    The sales KPIs of kpi_sales_performance (month x owner x segment) at a coarser grain
    (keys: columns of that mart, e.g. ['month_start'] or ['month_start', 'owner_id',
    'owner_name']). Counts and amounts are the sums of the finer mart's stored columns; the
    ratios are the shared formulas (macros/kpi_formulas.sql) applied to those sums, never an
    average of finer ratios. A money sum is null while any of its rows holds an amount without
    exchange rate (the unconverted_* count says how many), as in the finer mart.
    id_name: when given, a surrogate key under that name, of id_keys (default: the keys), the
    grain's primary key.
    One home for the roll-up: kpi_sales_monthly and kpi_sales_rep_monthly both call it.
-#}
{% macro kpi_sales_rollup(sales_relation, keys, id_name=none, id_keys=none) -%}
with

sales as (
    select * from {{ sales_relation }}
),

rolled_up as (
    select
        {%- for key in keys %}
        {{ key }},
        {%- endfor %}
        sum(opportunities_created) as opportunities_created,
        {{ kpi_money_sum('pipeline_created_usd', 'unconverted_created_opportunities > 0') }}
            as pipeline_created_usd,
        {{ kpi_money_sum('marketing_sourced_pipeline_usd', 'marketing_sourced_pipeline_usd is null') }}
            as marketing_sourced_pipeline_usd,
        {{ kpi_money_sum(
            'marketing_influenced_pipeline_usd', 'marketing_influenced_pipeline_usd is null'
        ) }} as marketing_influenced_pipeline_usd,
        sum(unconverted_created_opportunities) as unconverted_created_opportunities,
        sum(won_count) as won_count,
        sum(lost_count) as lost_count,
        {{ kpi_money_sum('won_amount_usd', 'unconverted_won_opportunities > 0') }}
            as won_amount_usd,
        sum(unconverted_won_opportunities) as unconverted_won_opportunities,
        {{ kpi_money_sum('lost_amount_usd', 'unconverted_lost_opportunities > 0') }}
            as lost_amount_usd,
        sum(unconverted_lost_opportunities) as unconverted_lost_opportunities,
        sum(sales_cycle_days_sum) as sales_cycle_days_sum,
        sum(open_opportunities) as open_opportunities,
        {{ kpi_money_sum('open_pipeline_usd', 'unconverted_open_opportunities > 0') }}
            as open_pipeline_usd,
        sum(unconverted_open_opportunities) as unconverted_open_opportunities
    from sales
    group by {{ keys | join(', ') }}
),

rates as (
    select
        *,
        {{ kpi_sales_rates() }}
    from rolled_up
),

final as (
    select
        {%- if id_name %}
        {{ surrogate_key(id_keys or keys) }} as {{ id_name }},
        {%- endif %}
        {%- for key in keys %}
        {{ key }},
        {%- endfor %}
        {{ kpi_sales_columns() }}
    from rates
)

select * from final
{%- endmacro %}

{#- The sales KPIs' four ratios (macros/kpi_formulas.sql) from a row's counts and amounts. -#}
{% macro kpi_sales_rates() -%}
    {{ kpi_win_rate('won_count', 'lost_count') }} as win_rate_by_count,
    {{ kpi_win_rate('won_amount_usd', 'lost_amount_usd') }} as win_rate_by_value,
    {{ kpi_average_deal_size('won_amount_usd', 'won_count') }} as average_deal_size_usd,
    {{ kpi_sales_cycle_days('sales_cycle_days_sum', 'won_count') }} as sales_cycle_days
{%- endmacro %}

{#-
    The typed measure columns of the sales marts (kpi_sales_performance, kpi_sales_monthly,
    kpi_sales_rep_monthly), pipeline velocity included, from a relation with the counts,
    amounts and kpi_sales_rates().
-#}
{% macro kpi_sales_columns() -%}
    cast(opportunities_created as {{ dbt.type_bigint() }}) as opportunities_created,
    cast(pipeline_created_usd as {{ type_double() }}) as pipeline_created_usd,
    cast(marketing_sourced_pipeline_usd as {{ type_double() }})
        as marketing_sourced_pipeline_usd,
    cast(marketing_influenced_pipeline_usd as {{ type_double() }})
        as marketing_influenced_pipeline_usd,
    cast(unconverted_created_opportunities as {{ dbt.type_bigint() }})
        as unconverted_created_opportunities,
    cast(won_count as {{ dbt.type_bigint() }}) as won_count,
    cast(lost_count as {{ dbt.type_bigint() }}) as lost_count,
    cast({{ kpi_closed('won_count', 'lost_count') }} as {{ dbt.type_bigint() }}) as closed_count,
    cast(won_amount_usd as {{ type_double() }}) as won_amount_usd,
    cast(unconverted_won_opportunities as {{ dbt.type_bigint() }})
        as unconverted_won_opportunities,
    cast(lost_amount_usd as {{ type_double() }}) as lost_amount_usd,
    cast(unconverted_lost_opportunities as {{ dbt.type_bigint() }})
        as unconverted_lost_opportunities,
    cast(sales_cycle_days_sum as {{ type_double() }}) as sales_cycle_days_sum,
    cast(open_opportunities as {{ dbt.type_bigint() }}) as open_opportunities,
    cast(open_pipeline_usd as {{ type_double() }}) as open_pipeline_usd,
    cast(unconverted_open_opportunities as {{ dbt.type_bigint() }})
        as unconverted_open_opportunities,
    cast(win_rate_by_count as {{ type_double() }}) as win_rate_by_count,
    cast(win_rate_by_value as {{ type_double() }}) as win_rate_by_value,
    cast(average_deal_size_usd as {{ type_double() }}) as average_deal_size_usd,
    cast(sales_cycle_days as {{ type_double() }}) as sales_cycle_days,
    cast(
        {{ kpi_pipeline_velocity(
            'open_opportunities', 'win_rate_by_count', 'average_deal_size_usd',
            'sales_cycle_days'
        ) }}
        as {{ type_double() }}
    ) as pipeline_velocity_usd_per_day
{%- endmacro %}
