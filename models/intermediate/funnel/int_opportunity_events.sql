{#-
    The events of each opportunity (grain: opportunity_event_id): its creation, each change of
    its stage history (int_opportunity_stage_changes), and its win or loss (won_at / lost_at of
    int_opportunities_enriched), with the opportunity's account, amount and campaign.
    int_funnel_events gives each event to the opportunity's people.
-#}
with

opportunities as (
    select * from {{ ref('int_opportunities_enriched') }}
),

history as (
    select * from {{ ref('int_opportunity_stage_changes') }}
),

opportunity_events as (
    select
        opportunity_id,
        'opportunity_created' as event_type,
        created_at as occurred_at,
        cast(null as {{ dbt.type_string() }}) as stage_name,
        created_at as event_key_at,
        synced_at
    from opportunities

    union all

    select
        history.opportunity_id,
        'opportunity_stage_changed' as event_type,
        history.changed_at as occurred_at,
        history.new_value as stage_name,
        history.changed_at as event_key_at,
        history.synced_at
    from history
    inner join opportunities
        on history.opportunity_id = opportunities.opportunity_id

    union all

    select
        opportunity_id,
        'opportunity_won' as event_type,
        won_at as occurred_at,
        stage_name,
        won_at as event_key_at,
        synced_at
    from opportunities
    where is_won

    union all

    select
        opportunity_id,
        'opportunity_lost' as event_type,
        lost_at as occurred_at,
        stage_name,
        lost_at as event_key_at,
        synced_at
    from opportunities
    where is_lost
),

final as (
    select
        {{ surrogate_key([
            'opportunity_events.event_type', 'opportunity_events.opportunity_id',
            'opportunity_events.event_key_at', 'opportunity_events.stage_name',
        ]) }} as opportunity_event_id,
        opportunity_events.opportunity_id,
        opportunities.resolved_account_id as account_id,
        opportunity_events.event_type,
        opportunity_events.occurred_at,
        opportunity_events.stage_name,
        opportunities.amount_usd,
        opportunities.campaign_id,
        opportunity_events.event_key_at,
        opportunity_events.synced_at
    from opportunity_events
    inner join opportunities
        on opportunity_events.opportunity_id = opportunities.opportunity_id
)

select * from final
