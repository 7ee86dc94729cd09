{#-
    Rule 4 deal_opportunity_agreement: linked pairs (a live deal and the live opportunity its
    property_salesforceopportunityid names) that disagree on amount (when the opportunity amount
    converts: the raw amount times its rate from int_opportunity_amounts, the
    warehouse's one conversion rule, into the reporting currency that HubSpot amounts are in),
    stage class (open / won / lost) or close date (more than one day apart). One row per pair.
-#}

with

{{ live_tables(['salesforce.opportunity', 'hubspot.deal', 'hubspot.deal_pipeline_stage']) }},

opportunities as (
    select
        o.id as opportunity_id,
        o.amount,
        o.currency_iso_code,
        o.close_date,
        case
            when o.is_won then 'won'
            when o.is_closed then 'lost'
            else 'open'
        end as stage_class
    from salesforce_opportunity as o
),

converted as (
    select
        o.*,
        a.fx_rate
    from opportunities as o
    left join {{ ref('int_opportunity_amounts') }} as a
        on o.opportunity_id = a.opportunity_id
),

deals as (
    select
        d.deal_id,
        d.property_salesforceopportunityid as opportunity_id,
        d.property_amount,
        cast(d.property_closedate as date) as close_date,
        case
            when s.is_closed and s.probability = 1 then 'won'
            when s.is_closed and s.probability = 0 then 'lost'
            else 'open'
        end as stage_class
    from hubspot_deal as d
    left join hubspot_deal_pipeline_stage as s
        on d.deal_pipeline_stage_id = s.stage_id
),

pairs as (
    select
        d.deal_id,
        o.opportunity_id,
        d.property_amount as deal_amount_usd,
        o.amount * o.fx_rate as opportunity_amount_usd,
        d.stage_class as deal_stage_class,
        o.stage_class as opportunity_stage_class,
        d.close_date as deal_close_date,
        o.close_date as opportunity_close_date,
        coalesce(abs(d.property_amount - o.amount * o.fx_rate) > 0.01, false)
            as amount_differs,
        d.stage_class <> o.stage_class as stage_differs,
        coalesce(
            abs({{ dbt.datediff('o.close_date', 'd.close_date', 'day') }}) > 1, false
        ) as close_date_differs
    from deals as d
    inner join converted as o on d.opportunity_id = o.opportunity_id
)

select * from pairs
where amount_differs or stage_differs or close_date_differs
