{#-
    One row per Salesforce opportunity with its resolved account, linked HubSpot deal, stage
    class and the moments it was won or lost (the domain rule for attribution windows):
      won_at   the first stage-history change into a won stage (seed stage_mapping, matched
               on picklist keys); for a stage the seed does not know, the first change into the
               stage the opportunity is in now; without history, the END of the close day in
               the company's time zone (var company_timezone, default UTC), so every touch of
               that day counts; never before the opportunity was created.
      lost_at  the same for lost.
    stage_class comes from Salesforce's own is_closed / is_won (so a stage label the seed does
    not know is still open, won or lost); is_stage_mapped says whether the seed knows the label
    (mapping_coverage counts those it does not).
    An opportunity without a created date keeps the earliest date known of it (its first stage
    change, else the start of its close day, else its first sync), flagged
    is_created_at_estimated (rule missing_fields counts it), so its pipeline still counts.
    opportunity_type is resolved here, once, and every model after reads it (doc
    opportunity_type): the Salesforce value through the seed opportunity_type_mapping (picklist
    keys); a missing or unmapped value is inferred from the account's history: New Business
    when the account has no win before the opportunity was created, else Expansion.
    opportunity_type_raw keeps the value as written, opportunity_type_source says which way.
-#}

{#- The account an opportunity's history is read on: its resolved account, else its own
    Salesforce account id (one that resolves to no account; prefixed, so it never equals a
    resolved id), else null (no account id: no history). -#}
{%- set history_key -%}
    coalesce(
        enriched.resolved_account_id,
        {{ dbt.concat(["'salesforce_account:'", 'enriched.account_id']) }}
    )
{%- endset %}

with

opportunities as (
    select * from {{ ref('stg_salesforce__opportunities') }}
),

opportunity_amounts as (
    select * from {{ ref('int_opportunity_amounts') }}
),

history as (
    select * from {{ ref('int_opportunity_stage_changes') }}
),

deals as (
    select * from {{ ref('stg_hubspot__deals') }}
),

account_identities as (
    select * from {{ ref('int_account_identities') }}
),

stage_mapping as (
    select * from {{ ref('stg_reference__stage_mapping') }}
    where source_system = 'salesforce' and stage_field = 'opportunity_stage'
),

type_mapping as (
    select * from {{ ref('stg_reference__opportunity_type_mapping') }}
),

stage_changes as (
    select
        history.opportunity_id,
        history.changed_at,
        stage_mapping.stage_class,
        {{ picklist_key('history.new_value') }} = {{ picklist_key('opportunities.stage_name') }}
            as is_into_current_stage
    from history
    inner join opportunities
        on history.opportunity_id = opportunities.opportunity_id
    left join stage_mapping
        on {{ picklist_key('history.new_value') }} = stage_mapping.match_key
),

closing_changes as (
    select
        opportunity_id,
        min(changed_at) as first_changed_at,
        min(case when stage_class = 'won' then changed_at end) as won_changed_at,
        min(case when stage_class = 'lost' then changed_at end) as lost_changed_at,
        min(case when is_into_current_stage then changed_at end) as current_stage_changed_at
    from stage_changes
    group by opportunity_id
),

known_dates as (
    select
        opportunities.*,
        coalesce(
            opportunities.created_at,
            closing_changes.first_changed_at,
            cast(opportunities.close_date as {{ dbt.type_timestamp() }}),
            opportunities.synced_at
        ) as known_created_at,
        opportunities.created_at is null as is_created_at_estimated,
        {{ end_of_local_day('opportunities.close_date') }} as close_day_end_at,
        closing_changes.won_changed_at,
        closing_changes.lost_changed_at,
        closing_changes.current_stage_changed_at
    from opportunities
    left join closing_changes
        on opportunities.opportunity_id = closing_changes.opportunity_id
),

-- won_at / lost_at without a change into a won / lost stage: the change into the current
-- stage, else the end of the close day, never before the opportunity was created
dated as (
    select
        known_dates.*,
        coalesce(
            known_dates.current_stage_changed_at,
            case
                when known_dates.close_day_end_at < known_dates.known_created_at
                    then known_dates.known_created_at
                else known_dates.close_day_end_at
            end
        ) as fallback_closed_at
    from known_dates
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

enriched as (
    select
        dated.opportunity_id,
        dated.account_id,
        dated.owner_id,
        dated.campaign_id,
        dated.opportunity_name,
        dated.opportunity_type as opportunity_type_raw,
        dated.stage_name,
        opportunity_amounts.amount,
        opportunity_amounts.currency_code,
        dated.probability,
        dated.forecast_category,
        dated.lead_source,
        dated.known_created_at as created_at,
        dated.is_created_at_estimated,
        dated.close_date,
        dated.is_closed,
        dated.is_won,
        dated.is_lost,
        dated.synced_at,
        opportunity_amounts.fx_rate,
        opportunity_amounts.fx_rate_source,
        opportunity_amounts.amount_usd,
        account_identities.account_id as resolved_account_id,
        linked_deals.deal_id,
        coalesce(linked_deals.linked_deal_count, 0) as linked_deal_count,
        case
            when dated.is_won then 'won'
            when dated.is_closed then 'lost'
            else 'open'
        end as stage_class,
        stage_mapping.match_key is not null as is_stage_mapped,
        case
            when dated.is_won then coalesce(dated.won_changed_at, dated.fallback_closed_at)
        end as won_at,
        case
            when dated.is_lost then coalesce(dated.lost_changed_at, dated.fallback_closed_at)
        end as lost_at
    from dated
    left join opportunity_amounts
        on dated.opportunity_id = opportunity_amounts.opportunity_id
    left join account_identities
        on
            account_identities.record_type = 'salesforce_account'
            and dated.account_id = account_identities.record_id
    left join linked_deals
        on dated.opportunity_id = linked_deals.salesforce_opportunity_id
    left join stage_mapping
        on {{ picklist_key('dated.stage_name') }} = stage_mapping.match_key
),

-- the account's history, for a type the seed does not give: its first win (of any type). An
-- opportunity whose account id resolves to no account counts the wins on that same id; one
-- without an account id has no history.
account_first_wins as (
    select
        {{ history_key }} as history_account_key,
        min(enriched.won_at) as first_won_at
    from enriched
    where enriched.account_id is not null
    group by {{ history_key }}
),

final as (
    select
        enriched.*,
        case
            when type_mapping.opportunity_type is not null then type_mapping.opportunity_type
            when account_first_wins.first_won_at < enriched.created_at then 'Expansion'
            else 'New Business'
        end as opportunity_type,
        case
            when type_mapping.opportunity_type is not null then 'mapped'
            when {{ picklist_key('enriched.opportunity_type_raw') }} is null
                then 'inferred_missing'
            else 'inferred_unmapped'
        end as opportunity_type_source
    from enriched
    left join type_mapping
        on {{ picklist_key('enriched.opportunity_type_raw') }} = type_mapping.match_key
    left join account_first_wins
        on {{ history_key }} = account_first_wins.history_account_key
)

select * from final
