{#-
    Sales performance: one row per month x opportunity owner x account segment (owner name from
    dim_owner; segment from the account's number of employees, kpi_account_segment()). Opportunities count in the month
    they were created (pipeline), closed (close_date: win rate, deal size, cycle) and in every
    month at whose end they were open (open pipeline, velocity). Months run from the first
    opportunity to the as_of month; the as_of month's "end" is as_of itself.
    Marketing-sourced: fct_opportunities.is_marketing_sourced (first touch is marketing).
    Marketing-influenced: a touch on a marketing channel (dim_channel.is_marketing) by one of the
    opportunity's audience (fct_opportunity_audience, the attribution rule) within
    attribution_lookback_days before the opportunity was created.
    Money is in the reporting currency (amount_usd); a sum over a set holding an amount without
    exchange rate is null, never 0, and the unconverted_* counts beside it say how many
    (docs: money_conversion).
-#}

with

opportunities as (
    select * from {{ ref('fct_opportunities') }}
),

accounts as (
    select * from {{ ref('dim_account') }}
),

owners as (
    select * from {{ ref('dim_owner') }}
),

spine as (
    select * from {{ ref('metricflow_time_spine') }}
),

journey as (
    select * from {{ ref('fct_customer_journey') }}
),

channels as (
    select * from {{ ref('dim_channel') }}
),

opportunity_people as (
    select * from {{ ref('fct_opportunity_audience') }}
),

marketing_touches as (
    select
        journey.person_id,
        journey.account_id,
        journey.occurred_at
    from journey
    inner join channels
        on journey.channel = channels.channel
    where
        journey.event_type in {{ attribution_touch_event_type_list() }}
        and channels.is_marketing
        and journey.person_id != '-1'
),

influenced as (
    select distinct opportunities.opportunity_id
    from opportunities
    inner join opportunity_people
        on opportunities.opportunity_id = opportunity_people.opportunity_id
    inner join marketing_touches
        on opportunity_people.person_id = marketing_touches.person_id
    where
        marketing_touches.occurred_at <= opportunities.created_at
        and marketing_touches.occurred_at >= {{ dbt.dateadd(
            'day', -1 * var('attribution_lookback_days', 90), 'opportunities.created_at'
        ) }}
),

opportunity_segments as (
    select
        opportunities.opportunity_id,
        coalesce(opportunities.owner_id, 'unknown') as owner_id,
        {{ kpi_account_segment('accounts.number_of_employees') }} as segment,
        opportunities.created_at,
        opportunities.close_date,
        opportunities.is_closed,
        opportunities.is_won,
        opportunities.is_lost,
        opportunities.is_marketing_sourced,
        influenced.opportunity_id is not null as is_marketing_influenced,
        opportunities.amount_usd,
        {{ kpi_is_unconverted('opportunities.amount', 'opportunities.amount_usd') }}
            as is_unconverted
    from opportunities
    left join accounts
        on opportunities.account_id = accounts.account_id
    left join influenced
        on opportunities.opportunity_id = influenced.opportunity_id
),

months as (
    select
        spine.date_day as month_start,
        cast({{ dbt.dateadd('month', 1, 'spine.date_day') }} as date) as next_month_start,
        cast({{ dbt.dateadd('month', 1, 'spine.date_day') }} as {{ dbt.type_timestamp() }})
            as next_month_start_at
    from spine
    where
        spine.date_day = {{ kpi_period_start('month', 'spine.date_day') }}
        and spine.date_day >= (
            select min({{ kpi_period_start('month', 'created_at') }}) from opportunities
        )
        and spine.date_day <= {{ kpi_period_start('month', as_of_timestamp()) }}
),

created as (
    select
        {{ kpi_period_start('month', 'created_at') }} as month_start,
        owner_id,
        segment,
        count(*) as opportunities_created,
        {{ kpi_money_sum('amount_usd', 'is_unconverted') }} as pipeline_created_usd,
        {{ kpi_money_sum('amount_usd', 'is_unconverted', 'is_marketing_sourced') }}
            as marketing_sourced_pipeline_usd,
        {{ kpi_money_sum('amount_usd', 'is_unconverted', 'is_marketing_influenced') }}
            as marketing_influenced_pipeline_usd,
        {{ kpi_unconverted_count('is_unconverted') }} as unconverted_created_opportunities
    from opportunity_segments
    group by 1, 2, 3
),

closed as (
    select
        {{ kpi_period_start('month', 'close_date') }} as month_start,
        owner_id,
        segment,
        sum(case when is_won then 1 else 0 end) as won_count,
        sum(case when is_lost then 1 else 0 end) as lost_count,
        {{ kpi_money_sum('amount_usd', 'is_unconverted', 'is_won') }} as won_amount_usd,
        {{ kpi_money_sum('amount_usd', 'is_unconverted', 'is_lost') }} as lost_amount_usd,
        {{ kpi_unconverted_count('is_unconverted', 'is_won') }} as unconverted_won_opportunities,
        {{ kpi_unconverted_count('is_unconverted', 'is_lost') }} as unconverted_lost_opportunities,
        sum(
            case
                when is_won
                    then {{ kpi_days_between(
                        'created_at', 'cast(close_date as ' ~ dbt.type_timestamp() ~ ')'
                    ) }}
                else 0
            end
        ) as sales_cycle_days_sum
    from opportunity_segments
    where is_closed
    group by 1, 2, 3
),

open_at_month_end as (
    select
        months.month_start,
        opportunity_segments.owner_id,
        opportunity_segments.segment,
        count(*) as open_opportunities,
        {{ kpi_money_sum(
            'opportunity_segments.amount_usd', 'opportunity_segments.is_unconverted'
        ) }} as open_pipeline_usd,
        {{ kpi_unconverted_count('opportunity_segments.is_unconverted') }}
            as unconverted_open_opportunities
    from months
    inner join opportunity_segments
        on
            months.next_month_start_at > opportunity_segments.created_at
            and opportunity_segments.created_at <= {{ as_of_timestamp() }}
            and (
                not opportunity_segments.is_closed
                or months.next_month_start <= opportunity_segments.close_date
            )
    group by 1, 2, 3
),

grid as (
    {{- marts_key_grid(
        ['created', 'closed', 'open_at_month_end'], ['month_start', 'owner_id', 'segment']
    ) }}
),

joined as (
    select
        grid.month_start,
        grid.owner_id,
        grid.segment,
        {#- no row in a part = nothing of it that month (0); a null sum stays null #}
        {{- marts_part_measures(
            'created',
            ['opportunities_created', 'unconverted_created_opportunities'],
            [
                'pipeline_created_usd', 'marketing_sourced_pipeline_usd',
                'marketing_influenced_pipeline_usd'
            ]
        ) }},
        {{- marts_part_measures(
            'closed',
            [
                'won_count', 'lost_count', 'unconverted_won_opportunities',
                'unconverted_lost_opportunities', 'sales_cycle_days_sum'
            ],
            ['won_amount_usd', 'lost_amount_usd']
        ) }},
        {{- marts_part_measures(
            'open_at_month_end',
            ['open_opportunities', 'unconverted_open_opportunities'],
            ['open_pipeline_usd']
        ) }}
    from grid
    {{- marts_join_each(
        'grid', ['created', 'closed', 'open_at_month_end'], ['month_start', 'owner_id', 'segment']
    ) }}
),

rates as (
    select
        *,
        {{ kpi_sales_rates() }}
    from joined
),

named as (
    select
        rates.*,
        owners.owner_name
    from rates
    left join owners
        on rates.owner_id = owners.owner_id
),

final as (
    select
        {{ surrogate_key(['month_start', 'owner_id', 'segment']) }} as sales_performance_id,
        cast(month_start as date) as month_start,
        cast(owner_id as {{ dbt.type_string() }}) as owner_id,
        cast(owner_name as {{ dbt.type_string() }}) as owner_name,
        cast(segment as {{ dbt.type_string() }}) as segment,
        {{ kpi_sales_columns() }}
    from named
)

select * from final
