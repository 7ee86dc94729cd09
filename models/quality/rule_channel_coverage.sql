{#-
    Rule 16 channel_coverage: money under channel 'unmapped' (raw values the channel_mapping
    seed does not map), weighed by what it is worth, where rule 11 counts the values:
      one row per measure with an unmapped amount: ad spend (fct_ad_spend, channel of the ad
      platform), won revenue (fct_opportunities, source_channel: the channel basis) and linearly
      attributed revenue (fct_attribution, channel of the touch); measured = the unmapped
      amount, share = its share of the measure's total.
-#}

with

measures as (
    select
        'ad spend' as measure,
        sum(case when channel = 'unmapped' then spend_usd else 0 end) as unmapped_amount,
        sum(spend_usd) as total_amount
    from {{ ref('fct_ad_spend') }}
    union all
    select
        'won revenue' as measure,
        sum(case when source_channel = 'unmapped' then amount_usd else 0 end)
            as unmapped_amount,
        sum(amount_usd) as total_amount
    from {{ ref('fct_opportunities') }}
    where is_won
    union all
    select
        'attributed revenue (linear, {{ attribution_default_scope() }} scope)' as measure,
        sum(case when channel = 'unmapped' then revenue_credit_usd else 0 end)
            as unmapped_amount,
        sum(revenue_credit_usd) as total_amount
    from {{ ref('fct_attribution') }}
    where attribution_model = 'linear' and scope = '{{ attribution_default_scope() }}'
)

select
    measure,
    unmapped_amount as measured,
    unmapped_amount / nullif(total_amount, 0) as share,
    'money under channel unmapped: map its raw values in seeds/channel_mapping.csv' as finding
from measures
where unmapped_amount > 0
