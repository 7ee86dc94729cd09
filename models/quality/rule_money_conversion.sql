{#-
    Rule 17 money_conversion (warehouse health): one row per opportunity whose amount in the
    reporting currency (int_opportunity_amounts, the warehouse's one conversion
    rule) rests on a guessed rate or is missing where no other rule reports it:
      * converted with a fallback rate: the seed's earliest rate for a close date before it
        (fx_rate_source seed_extrapolated), or the latest rate for an opportunity without a
        close date (fx_rate_is_fallback);
      * open or lost with an amount that no exchange rate covers (fx_rate_source 'none'): its
        pipeline and loss amounts are null in the KPI marts. Won ones are findings of rule 8
        (reconciliation).
-#}

with

amounts as (
    select * from {{ ref('int_opportunity_amounts') }}
),

opportunities as (
    select
        opportunity_id,
        is_won,
        is_closed
    from {{ ref('fct_opportunities') }}
)

select
    a.opportunity_id,
    case
        when o.is_won then 'won'
        when o.is_closed then 'lost'
        else 'open'
    end as stage_class,
    a.currency_code,
    a.reporting_currency,
    a.conversion_date,
    a.amount,
    a.fx_rate,
    a.fx_rate_source,
    case
        when a.fx_rate_source = 'seed_extrapolated'
            then 'converted with the earliest seed rate: the close date lies before it'
        when a.fx_rate_is_fallback
            then 'converted with the latest rate: the opportunity has no close date'
        else 'amount in ' || a.currency_code || ' has no exchange rate into '
            || a.reporting_currency
    end as finding
from amounts as a
inner join opportunities as o
    on a.opportunity_id = o.opportunity_id
where a.fx_rate_is_fallback
    or (a.fx_rate_source = 'none' and a.amount is not null and not o.is_won)
