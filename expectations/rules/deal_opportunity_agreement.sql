-- Rule 4 deal_opportunity_agreement (provisional): linked pairs that disagree.
with

opportunities as (
    select
        id as opportunity_id,
        amount,
        cast(close_date as date) as close_date,
        case when coalesce(is_won, false) then 'won'
            when coalesce(is_closed, false) then 'lost' else 'open' end as stage_class
    from raw_salesforce.opportunity
    where not coalesce(is_deleted, false)
),

deals as (
    select
        d.deal_id,
        d.property_salesforceopportunityid as opportunity_id,
        d.property_amount as amount,
        cast(d.property_closedate as date) as close_date,
        case when s.is_closed and s.probability >= 1 then 'won'
            when s.is_closed then 'lost' else 'open' end as stage_class
    from raw_hubspot.deal as d
    left join raw_hubspot.deal_pipeline_stage as s on s.stage_id = d.deal_pipeline_stage_id
    where not coalesce(d.is_deleted, false) and d.property_salesforceopportunityid is not null
)

select d.deal_id, o.opportunity_id, d.amount as deal_amount, o.amount as opportunity_amount,
    d.stage_class as deal_stage_class, o.stage_class as opportunity_stage_class,
    d.close_date as deal_close_date, o.close_date as opportunity_close_date
from deals as d
inner join opportunities as o on o.opportunity_id = d.opportunity_id
where abs(coalesce(d.amount, 0) - coalesce(o.amount, 0)) > 0.01
    or d.stage_class <> o.stage_class
    or abs(d.close_date - o.close_date) > 1
