{#-
    Funnel stage events from both systems, one row per event (grain: funnel_event_id).
    Person stages (lead_created, mql, sal, sql) keep the first time a person reached the
    stage (int_person_funnel_stages); opportunity events (int_opportunity_events) are one per
    opportunity event and person of the opportunity (int_opportunity_people). Precedence where
    the systems disagree is documented in _funnel__models.yml.
-#}
with

person_stage_times as (
    select * from {{ ref('int_person_funnel_stages') }}
),

opportunity_events as (
    select * from {{ ref('int_opportunity_events') }}
),

opportunity_people as (
    select * from {{ ref('int_opportunity_people') }}
),

person_events as (
    select
        person_id,
        account_id,
        'lead_created' as event_type,
        lead_at as occurred_at,
        case
            when hubspot_lead_at is null then 'salesforce'
            when salesforce_lead_at is null then 'hubspot'
            when salesforce_lead_at < hubspot_lead_at then 'salesforce'
            else 'hubspot'
        end as source_system,
        hubspot_lead_at as hubspot_occurred_at,
        salesforce_lead_at as salesforce_occurred_at,
        synced_at
    from person_stage_times
    where lead_at is not null

    union all

    select
        person_id,
        account_id,
        'mql' as event_type,
        mql_at as occurred_at,
        'hubspot' as source_system,
        hubspot_mql_at as hubspot_occurred_at,
        cast(null as {{ dbt.type_timestamp() }}) as salesforce_occurred_at,
        synced_at
    from person_stage_times
    where mql_at is not null

    union all

    select
        person_stage_times.person_id,
        person_stage_times.account_id,
        'sal' as event_type,
        person_stage_times.sal_at as occurred_at,
        'salesforce' as source_system,
        cast(null as {{ dbt.type_timestamp() }}) as hubspot_occurred_at,
        person_stage_times.sal_at as salesforce_occurred_at,
        person_stage_times.synced_at
    from person_stage_times
    where person_stage_times.sal_at is not null

    union all

    select
        person_id,
        account_id,
        'sql' as event_type,
        salesforce_sql_at as occurred_at,
        'salesforce' as source_system,
        hubspot_sql_at as hubspot_occurred_at,
        salesforce_sql_at as salesforce_occurred_at,
        synced_at
    from person_stage_times
    where salesforce_sql_at is not null
),

opportunity_person_events as (
    select
        opportunity_people.person_id,
        opportunity_events.account_id,
        opportunity_events.event_type,
        opportunity_events.occurred_at,
        'salesforce' as source_system,
        cast(null as {{ dbt.type_timestamp() }}) as hubspot_occurred_at,
        opportunity_events.occurred_at as salesforce_occurred_at,
        opportunity_events.synced_at,
        opportunity_events.opportunity_id,
        opportunity_events.stage_name,
        opportunity_events.amount_usd,
        opportunity_events.campaign_id,
        opportunity_events.event_key_at
    from opportunity_events
    left join opportunity_people
        on opportunity_events.opportunity_id = opportunity_people.opportunity_id
),

-- person events have no opportunity: the same columns as opportunity_person_events, in its
-- order, with null opportunity columns
unioned as (
    select
        person_events.*,
        cast(null as {{ dbt.type_string() }}) as opportunity_id,
        cast(null as {{ dbt.type_string() }}) as stage_name,
        cast(null as {{ type_double() }}) as amount_usd,
        cast(null as {{ dbt.type_string() }}) as campaign_id,
        cast(null as {{ dbt.type_timestamp() }}) as event_key_at
    from person_events
    union all
    select * from opportunity_person_events
),

final as (
    select
        {{ surrogate_key([
            'event_type', 'person_id', 'opportunity_id', 'event_key_at', 'stage_name',
        ]) }} as funnel_event_id,
        person_id,
        account_id,
        event_type,
        occurred_at,
        source_system,
        hubspot_occurred_at,
        salesforce_occurred_at,
        opportunity_id,
        stage_name,
        amount_usd,
        campaign_id,
        synced_at
    from unioned
)

select * from final
