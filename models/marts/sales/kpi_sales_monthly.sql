{#-
    Company-wide sales KPIs: one row per month, kpi_sales_performance (month x owner x segment)
    rolled up. Counts and amounts are the sums of the finer mart's stored columns; the ratios
    are the same formulas (macros/kpi_formulas.sql) applied to those sums, never an average of
    the owners' ratios. A money sum is null while any of its rows holds an amount without
    exchange rate (the unconverted_* count says how many), as in the finer mart.
-#}

with

sales as (
    select * from {{ ref('kpi_sales_performance') }}
),

rolled_up as (
    select
        month_start,
        sum(opportunities_created) as opportunities_created,
        {{ kpi_money_sum('pipeline_created_usd', 'unconverted_created_opportunities > 0') }}
            as pipeline_created_usd,
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
        sum(open_opportunities) as open_opportunities
    from sales
    group by month_start
),

rates as (
    select
        *,
        {{ kpi_win_rate('won_count', 'lost_count') }} as win_rate_by_count,
        {{ kpi_win_rate('won_amount_usd', 'lost_amount_usd') }} as win_rate_by_value,
        {{ kpi_average_deal_size('won_amount_usd', 'won_count') }} as average_deal_size_usd,
        {{ kpi_sales_cycle_days('sales_cycle_days_sum', 'won_count') }} as sales_cycle_days
    from rolled_up
),

final as (
    select
        cast(month_start as date) as month_start,
        cast(opportunities_created as {{ dbt.type_bigint() }}) as opportunities_created,
        cast(pipeline_created_usd as {{ type_double() }}) as pipeline_created_usd,
        cast(unconverted_created_opportunities as {{ dbt.type_bigint() }})
            as unconverted_created_opportunities,
        cast(won_count as {{ dbt.type_bigint() }}) as won_count,
        cast(lost_count as {{ dbt.type_bigint() }}) as lost_count,
        cast(won_amount_usd as {{ type_double() }}) as won_amount_usd,
        cast(unconverted_won_opportunities as {{ dbt.type_bigint() }})
            as unconverted_won_opportunities,
        cast(lost_amount_usd as {{ type_double() }}) as lost_amount_usd,
        cast(unconverted_lost_opportunities as {{ dbt.type_bigint() }})
            as unconverted_lost_opportunities,
        cast(sales_cycle_days_sum as {{ type_double() }}) as sales_cycle_days_sum,
        cast(open_opportunities as {{ dbt.type_bigint() }}) as open_opportunities,
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
    from rates
)

select * from final
