{#-
    Every attribution model and scope side by side per channel (docs/attribution.md,
    attribution_scopes): one row per close month x channel x scope x attribution model.
      attributed revenue    fct_attribution revenue credit of the scope and model
      attributed wins       sum of credits (a conversion counts once over its channels)
      attributed customers  sum of credits of first New Business wins of an account (the
                            customers of kpi_channel_performance, credited by the model)
      spend                 fct_ad_spend of the channel and month (the same in every scope
                            and model: never sum spend over scopes or models)
      ROAS                  attributed revenue / spend; CAC = spend / attributed customers
    Sums are exact decimals (money to 6 places): a rebuild gives the same bits. Money is in
    the reporting currency; attributed revenue is null (never 0) as soon as a
    conversion of the row has no exchange rate (unconverted_attributed_opportunities).
-#}

with

opportunities as (
    {{ marts_opportunities_with_unconverted() }}
),

first_wins as (
    {{ marts_ranked_new_business_wins('opportunities', ['opportunity_id']) }}
),

attribution as (
    select
        fct_attribution.close_month,
        fct_attribution.channel,
        fct_attribution.scope,
        fct_attribution.attribution_model,
        fct_attribution.opportunity_id,
        fct_attribution.credit,
        fct_attribution.revenue_credit_usd,
        opportunities.is_unconverted,
        coalesce(first_wins.win_rank = 1, false) as is_first_win
    from {{ ref('fct_attribution') }} as fct_attribution
    inner join opportunities
        on fct_attribution.opportunity_id = opportunities.opportunity_id
    left join first_wins
        on fct_attribution.opportunity_id = first_wins.opportunity_id
),

attributed as (
    select
        close_month as month_start,
        channel,
        scope,
        attribution_model,
        {{ kpi_money_sum('cast(revenue_credit_usd as decimal(38, 6))', 'is_unconverted') }}
            as attributed_revenue_usd,
        sum(credit) as attributed_wins,
        sum(case when is_first_win then credit else 0 end) as attributed_customers,
        count(distinct case when is_unconverted then opportunity_id end)
            as unconverted_attributed_opportunities
    from attribution
    group by close_month, channel, scope, attribution_model
),

spend as (
    select
        {{ kpi_period_start('month', 'date_day') }} as month_start,
        channel,
        {{ kpi_money_sum('cast(spend_usd as decimal(38, 6))', 'spend_usd is null') }} as spend_usd
    from {{ ref('fct_ad_spend') }}
    group by {{ kpi_period_start('month', 'date_day') }}, channel
),

models as (
    select distinct
        scope,
        attribution_model
    from {{ ref('fct_attribution') }}
),

grid as (
    select
        month_start,
        channel,
        scope,
        attribution_model
    from attributed
    union
    select
        spend.month_start,
        spend.channel,
        models.scope,
        models.attribution_model
    from spend
    cross join models
),

joined as (
    select
        grid.month_start,
        grid.channel,
        grid.scope,
        grid.attribution_model,
        {{ marts_zero_if_no_row('spend', 'spend_usd') }} as spend_usd,
        case
            when attributed.month_start is null then 0 else attributed.attributed_revenue_usd
        end as attributed_revenue_usd,
        coalesce(attributed.attributed_wins, 0) as attributed_wins,
        coalesce(attributed.attributed_customers, 0) as attributed_customers,
        coalesce(attributed.unconverted_attributed_opportunities, 0)
            as unconverted_attributed_opportunities
    from grid
    left join spend
        on grid.month_start = spend.month_start and grid.channel = spend.channel
    left join attributed
        on
            grid.month_start = attributed.month_start
            and grid.channel = attributed.channel
            and grid.scope = attributed.scope
            and grid.attribution_model = attributed.attribution_model
),

final as (
    select
        {{ surrogate_key(['month_start', 'channel', 'scope', 'attribution_model']) }}
            as channel_attribution_id,
        cast(month_start as date) as month_start,
        cast(channel as {{ dbt.type_string() }}) as channel,
        cast(scope as {{ dbt.type_string() }}) as scope,
        cast(attribution_model as {{ dbt.type_string() }}) as attribution_model,
        cast(scope = '{{ attribution_default_scope() }}' as boolean) as is_default_scope,
        cast(spend_usd as {{ type_double() }}) as spend_usd,
        cast(attributed_revenue_usd as {{ type_double() }}) as attributed_revenue_usd,
        cast(attributed_wins as {{ type_double() }}) as attributed_wins,
        cast(attributed_customers as {{ type_double() }}) as attributed_customers,
        cast(unconverted_attributed_opportunities as {{ dbt.type_bigint() }})
            as unconverted_attributed_opportunities,
        cast({{ safe_divide('attributed_revenue_usd', 'spend_usd') }} as {{ type_double() }})
            as roas,
        cast({{ safe_divide('spend_usd', 'attributed_customers') }} as {{ type_double() }})
            as cac_usd
    from joined
)

select * from final
