{#-
    Each channel's share of the won opportunities and its attributed revenue, with a 90%
    bootstrap interval, for every attribution model and scope over the whole history
    (docs/attribution.md, attribution_intervals); one row per scope x model x channel.
      share       sum of the channel's credits / conversions (won opportunities)
      bootstrap   attribution_bootstrap_draws (200) draws, each conversion_count conversions
                  drawn with replacement; the interval is the 5th to 95th percentile of the
                  draws' share and attributed revenue. The draws are fixed
                  (attribution_bootstrap_ctes: each slot takes the conversion a 32-bit
                  integer hash of (draw, slot, attribution_seed) points to, integer
                  arithmetic every engine computes alike): same data, same bounds.
      inconclusive  the interval is wider than the share itself.
    Sums are exact decimals (credits to 12 places, money to 6), so a rebuild gives the same
    bounds to the last bit (a sum of doubles depends on the order a parallel engine adds).
    A conversion's credit per channel is at most 1 and its revenue below 10^20, so they are
    decimal(24, 12) and decimal(26, 6) and a credit times an int count stays within 38 digits:
    Spark cuts the scale of a product wider than 38 digits to 6 places.
    The data-driven models are resampled with the channel effects learnt once
    (fct_attribution_channel_effects): their interval says which deals happened to be won,
    not how uncertain the effects are.
-#}
{%- set draws = var('attribution_bootstrap_draws', 200) -%}

with

attribution as (
    select * from {{ ref('fct_attribution') }}
),

won as (
    select distinct opportunity_id
    from attribution
),

conversions as (
    select
        opportunity_id,
        cast(row_number() over (order by opportunity_id) - 1 as {{ dbt.type_bigint() }})
            as conversion_index,
        cast(count(*) over () as {{ dbt.type_bigint() }}) as conversion_count
    from won
),

sample_size as (
    select cast(count(*) as {{ dbt.type_bigint() }}) as conversion_count
    from won
),

{# multiplicities: how often each draw takes each conversion (fixed draws, every engine alike) #}
{{ attribution_bootstrap_ctes(
    'multiplicities', 'conversions', 'conversion_index', 'conversion_count'
) }}

channel_credits as (
    select
        attribution.scope,
        attribution.attribution_model,
        attribution.channel,
        conversions.conversion_index,
        cast(sum(attribution.credit) as decimal(24, 12)) as credit,
        cast(
            sum(cast(attribution.revenue_credit_usd as decimal(26, 6))) as decimal(26, 6)
        ) as revenue_credit_usd
    from attribution
    inner join conversions
        on attribution.opportunity_id = conversions.opportunity_id
    group by
        attribution.scope,
        attribution.attribution_model,
        attribution.channel,
        conversions.conversion_index
),

channels as (
    select
        scope,
        attribution_model,
        channel,
        sum(credit) as credit,
        sum(revenue_credit_usd) as revenue_credit_usd
    from channel_credits
    group by scope, attribution_model, channel
),

draw_sums as (
    select
        multiplicities.draw,
        channel_credits.scope,
        channel_credits.attribution_model,
        channel_credits.channel,
        sum(channel_credits.credit * multiplicities.times_drawn) as credit,
        sum(channel_credits.revenue_credit_usd * multiplicities.times_drawn)
            as revenue_credit_usd
    from multiplicities
    inner join channel_credits
        on multiplicities.item_index = channel_credits.conversion_index
    group by
        multiplicities.draw,
        channel_credits.scope,
        channel_credits.attribution_model,
        channel_credits.channel
),

draw_grid as (
    select
        draws.draw,
        channels.scope,
        channels.attribution_model,
        channels.channel,
        cast(coalesce(draw_sums.credit, 0) as {{ type_double() }})
        / sample_size.conversion_count as share,
        cast(coalesce(draw_sums.revenue_credit_usd, 0) as {{ type_double() }})
            as revenue_credit_usd
    from multiplicities_numbers as draws
    cross join channels
    cross join sample_size
    left join draw_sums
        on
            draws.draw = draw_sums.draw
            and channels.scope = draw_sums.scope
            and channels.attribution_model = draw_sums.attribution_model
            and channels.channel = draw_sums.channel
    where draws.draw <= {{ draws }}
),

intervals as (
    select
        scope,
        attribution_model,
        channel,
        {{ kpi_percentile('share', 0.05) }} as share_lower,
        {{ kpi_percentile('share', 0.95) }} as share_upper,
        {{ kpi_percentile('revenue_credit_usd', 0.05) }} as attributed_revenue_lower_usd,
        {{ kpi_percentile('revenue_credit_usd', 0.95) }} as attributed_revenue_upper_usd
    from draw_grid
    group by scope, attribution_model, channel
),

spend as (
    select
        channel,
        {{ kpi_money_sum('cast(spend_usd as decimal(38, 6))', 'spend_usd is null') }} as spend_usd
    from {{ ref('fct_ad_spend') }}
    group by channel
),

final as (
    select
        {{ surrogate_key(['channels.scope', 'channels.attribution_model', 'channels.channel']) }}
            as channel_interval_id,
        cast(channels.scope as {{ dbt.type_string() }}) as scope,
        cast(channels.attribution_model as {{ dbt.type_string() }}) as attribution_model,
        cast(channels.channel as {{ dbt.type_string() }}) as channel,
        cast(channels.scope = '{{ attribution_default_scope() }}' as boolean)
            as is_default_scope,
        sample_size.conversion_count,
        cast({{ draws }} as {{ dbt.type_int() }}) as bootstrap_draws,
        cast(channels.credit as {{ type_double() }}) / sample_size.conversion_count as share,
        cast(intervals.share_lower as {{ type_double() }}) as share_lower,
        cast(intervals.share_upper as {{ type_double() }}) as share_upper,
        cast(channels.revenue_credit_usd as {{ type_double() }}) as attributed_revenue_usd,
        cast(intervals.attributed_revenue_lower_usd as {{ type_double() }})
            as attributed_revenue_lower_usd,
        cast(intervals.attributed_revenue_upper_usd as {{ type_double() }})
            as attributed_revenue_upper_usd,
        cast({{ marts_zero_if_no_row('spend', 'spend_usd', 'channel') }} as {{ type_double() }})
            as spend_usd,
        cast(
            {{ safe_divide('channels.revenue_credit_usd', 'spend.spend_usd') }}
            as {{ type_double() }}
        ) as roas,
        cast(
            {{ safe_divide('intervals.attributed_revenue_lower_usd', 'spend.spend_usd') }}
            as {{ type_double() }}
        ) as roas_lower,
        cast(
            {{ safe_divide('intervals.attributed_revenue_upper_usd', 'spend.spend_usd') }}
            as {{ type_double() }}
        ) as roas_upper,
        coalesce(
            intervals.share_upper - intervals.share_lower
            > cast(channels.credit as {{ type_double() }}) / sample_size.conversion_count,
            false
        ) as is_inconclusive
    from channels
    inner join intervals
        on
            channels.scope = intervals.scope
            and channels.attribution_model = intervals.attribution_model
            and channels.channel = intervals.channel
    cross join sample_size
    left join spend
        on channels.channel = spend.channel
)

select * from final
