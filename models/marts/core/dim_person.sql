{#-
    One row per resolved person (grain: person_id) plus the unknown member '-1', for BI: no raw
    PII (no email, no names; email_domain only). Stage times come from int_funnel_events;
    original_channel from HubSpot's analytics source, else the Salesforce lead source.
-#}
with

people as (
    select * from {{ ref('int_people_resolved') }}
),

identities as (
    select * from {{ ref('int_person_identities') }}
),

funnel_events as (
    select * from {{ ref('int_funnel_events') }}
),

channel_mapping as (
    select
        mapping_type,
        source_key,
        channel
    from {{ ref('stg_reference__channel_mapping') }}
    where mapping_type in ('hubspot_analytics_source', 'lead_source')
),

stage_mapping as (
    select * from {{ ref('stg_reference__stage_mapping') }}
),

link_methods as (
    {#- a person's link method is its records' first in precedence (person_link_methods);
        a method outside the list ranks last #}
    select
        person_id,
        min(
            coalesce(
                {{ person_link_rank('link_method') }}, {{ person_link_methods() | length + 1 }}
            )
        ) as link_rank
    from identities
    group by person_id
),

stage_times as (
    select
        person_id,
        min(case when event_type = 'lead_created' then occurred_at end) as became_lead_at,
        min(case when event_type = 'mql' then occurred_at end) as became_mql_at,
        min(case when event_type = 'sal' then occurred_at end) as became_sal_at,
        min(case when event_type = 'sql' then occurred_at end) as became_sql_at,
        min(case when event_type = 'opportunity_created' then occurred_at end)
            as first_opportunity_at,
        min(case when event_type = 'opportunity_won' then occurred_at end) as became_customer_at
    from funnel_events
    where person_id is not null
    group by person_id
),

resolved as (
    select
        people.person_id,
        coalesce(people.account_id, '-1') as account_id,
        people.email_domain,
        people.salesforce_contact_id,
        people.salesforce_lead_id,
        people.hubspot_contact_id,
        people.is_in_salesforce,
        people.is_in_hubspot,
        people.record_count,
        coalesce(
            {{ person_link_method('link_methods.link_rank') }}, 'unlinked'
        ) as identity_link_method,
        people.lead_source,
        people.analytics_source,
        case
            when people.analytics_source is not null
                then coalesce(analytics_channels.channel, 'unmapped')
            when people.lead_source is not null
                then coalesce(lead_source_channels.channel, 'unmapped')
            else 'unknown'
        end as original_channel,
        people.hubspot_lifecycle_stage,
        case
            when people.hubspot_lifecycle_stage is not null
                then coalesce(lifecycle_stages.funnel_stage, 'unmapped')
        end as hubspot_funnel_stage,
        people.lead_status,
        case
            when people.lead_status is not null
                then coalesce(lead_statuses.funnel_stage, 'unmapped')
        end as lead_status_funnel_stage,
        people.owner_id,
        people.first_seen_at,
        stage_times.became_lead_at,
        stage_times.became_mql_at,
        stage_times.became_sal_at,
        stage_times.became_sql_at,
        stage_times.first_opportunity_at,
        stage_times.became_customer_at,
        stage_times.became_customer_at is not null as is_customer,
        false as is_unknown_member
    from people
    left join link_methods
        on people.person_id = link_methods.person_id
    left join stage_times
        on people.person_id = stage_times.person_id
    left join channel_mapping as analytics_channels
        on
            analytics_channels.mapping_type = 'hubspot_analytics_source'
            and {{ picklist_key('people.analytics_source') }} = analytics_channels.source_key
    left join channel_mapping as lead_source_channels
        on
            lead_source_channels.mapping_type = 'lead_source'
            and {{ picklist_key('people.lead_source') }} = lead_source_channels.source_key
    left join stage_mapping as lifecycle_stages
        on
            lifecycle_stages.source_system = 'hubspot'
            and lifecycle_stages.stage_field = 'lifecycle_stage'
            and {{ picklist_key('people.hubspot_lifecycle_stage') }} = lifecycle_stages.match_key
    left join stage_mapping as lead_statuses
        on
            lead_statuses.source_system = 'salesforce'
            and lead_statuses.stage_field = 'lead_status'
            and {{ picklist_key('people.lead_status') }} = lead_statuses.match_key
),

{{ marts_dimension_with_unknown_member('resolved', [
    ('person_id', 'string', "'-1'"),
    ('account_id', 'string', "'-1'"),
    ('email_domain', 'string'),
    ('salesforce_contact_id', 'string'),
    ('salesforce_lead_id', 'string'),
    ('hubspot_contact_id', 'string'),
    ('is_in_salesforce', none, 'false'),
    ('is_in_hubspot', none, 'false'),
    ('record_count', 'bigint', '0'),
    ('identity_link_method', 'string', "'unknown'"),
    ('lead_source', 'string'),
    ('analytics_source', 'string'),
    ('original_channel', 'string', "'unknown'"),
    ('hubspot_lifecycle_stage', 'string'),
    ('hubspot_funnel_stage', 'string'),
    ('lead_status', 'string'),
    ('lead_status_funnel_stage', 'string'),
    ('owner_id', 'string'),
    ('first_seen_at', 'timestamp'),
    ('became_lead_at', 'timestamp'),
    ('became_mql_at', 'timestamp'),
    ('became_sal_at', 'timestamp'),
    ('became_sql_at', 'timestamp'),
    ('first_opportunity_at', 'timestamp'),
    ('became_customer_at', 'timestamp'),
    ('is_customer', none, 'false'),
    ('is_unknown_member', none, 'true'),
]) }}
