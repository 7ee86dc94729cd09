{#-
    One row per Salesforce opportunity with its resolved account, linked HubSpot deal, stage
    class from the stage_mapping seed and the win / loss timestamps: the stage-history change
    into a won (lost) stage, else the close date (domain rule for attribution windows).
-#}
with

opportunities as (
    select * from {{ ref('stg_salesforce__opportunities') }}
),

opportunity_amounts as (
    select * from {{ ref('int_opportunity_amounts') }}
),

history as (
    select * from {{ ref('stg_salesforce__opportunity_field_histories') }}
),

deals as (
    select * from {{ ref('stg_hubspot__deals') }}
),

account_identities as (
    select * from {{ ref('int_account_identities') }}
),

stage_mapping as (
    select * from {{ ref('stage_mapping') }}
    where source_system = 'salesforce' and stage_field = 'opportunity_stage'
),

stage_changes as (
    select
        history.opportunity_id,
        history.changed_at,
        stage_mapping.stage_class
    from history
    left join stage_mapping
        on history.new_value = stage_mapping.source_value
    where history.field_name = 'StageName'
),

closing_changes as (
    select
        opportunity_id,
        min(case when stage_class = 'won' then changed_at end) as won_changed_at,
        min(case when stage_class = 'lost' then changed_at end) as lost_changed_at
    from stage_changes
    group by opportunity_id
),

linked_deals as (
    select
        salesforce_opportunity_id,
        min(deal_id) as deal_id,
        count(*) as linked_deal_count
    from deals
    where salesforce_opportunity_id is not null
    group by salesforce_opportunity_id
),

final as (
    select
        opportunities.opportunity_id,
        opportunities.account_id,
        opportunities.owner_id,
        opportunities.campaign_id,
        opportunities.opportunity_name,
        opportunities.opportunity_type,
        opportunities.stage_name,
        opportunity_amounts.amount,
        opportunity_amounts.currency_code,
        opportunities.probability,
        opportunities.forecast_category,
        opportunities.lead_source,
        opportunities.created_at,
        opportunities.close_date,
        opportunities.is_closed,
        opportunities.is_won,
        opportunities.is_lost,
        opportunities.synced_at,
        opportunity_amounts.fx_rate,
        opportunity_amounts.fx_rate_source,
        opportunity_amounts.amount_usd,
        account_identities.account_id as resolved_account_id,
        linked_deals.deal_id,
        coalesce(linked_deals.linked_deal_count, 0) as linked_deal_count,
        coalesce(stage_mapping.stage_class, 'unmapped') as stage_class,
        case
            when opportunities.is_won
                then coalesce(
                        closing_changes.won_changed_at,
                        cast(opportunities.close_date as {{ dbt.type_timestamp() }})
                    )
        end as won_at,
        case
            when opportunities.is_lost
                then coalesce(
                        closing_changes.lost_changed_at,
                        cast(opportunities.close_date as {{ dbt.type_timestamp() }})
                    )
        end as lost_at
    from opportunities
    left join opportunity_amounts
        on opportunities.opportunity_id = opportunity_amounts.opportunity_id
    left join account_identities
        on
            account_identities.record_type = 'salesforce_account'
            and opportunities.account_id = account_identities.record_id
    left join linked_deals
        on opportunities.opportunity_id = linked_deals.salesforce_opportunity_id
    left join stage_mapping
        on opportunities.stage_name = stage_mapping.source_value
    left join closing_changes
        on opportunities.opportunity_id = closing_changes.opportunity_id
)

select * from final
