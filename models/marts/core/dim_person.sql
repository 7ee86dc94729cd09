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
    select
        person_id,
        min(
            case link_method
                when 'hubspot_merge' then 1
                when 'lead_conversion' then 2
                when 'integration_id' then 3
                when 'email' then 4
                when 'transitive' then 5
                else 6
            end
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
        case link_methods.link_rank
            when 1 then 'hubspot_merge'
            when 2 then 'lead_conversion'
            when 3 then 'integration_id'
            when 4 then 'email'
            when 5 then 'transitive'
            else 'unlinked'
        end as identity_link_method,
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

unknown_member as (
    select
        '-1' as person_id,
        '-1' as account_id,
        cast(null as {{ dbt.type_string() }}) as email_domain,
        cast(null as {{ dbt.type_string() }}) as salesforce_contact_id,
        cast(null as {{ dbt.type_string() }}) as salesforce_lead_id,
        cast(null as {{ dbt.type_string() }}) as hubspot_contact_id,
        false as is_in_salesforce,
        false as is_in_hubspot,
        0 as record_count,
        'unknown' as identity_link_method,
        cast(null as {{ dbt.type_string() }}) as lead_source,
        cast(null as {{ dbt.type_string() }}) as analytics_source,
        'unknown' as original_channel,
        cast(null as {{ dbt.type_string() }}) as hubspot_lifecycle_stage,
        cast(null as {{ dbt.type_string() }}) as hubspot_funnel_stage,
        cast(null as {{ dbt.type_string() }}) as lead_status,
        cast(null as {{ dbt.type_string() }}) as lead_status_funnel_stage,
        cast(null as {{ dbt.type_string() }}) as owner_id,
        cast(null as {{ dbt.type_timestamp() }}) as first_seen_at,
        cast(null as {{ dbt.type_timestamp() }}) as became_lead_at,
        cast(null as {{ dbt.type_timestamp() }}) as became_mql_at,
        cast(null as {{ dbt.type_timestamp() }}) as became_sal_at,
        cast(null as {{ dbt.type_timestamp() }}) as became_sql_at,
        cast(null as {{ dbt.type_timestamp() }}) as first_opportunity_at,
        cast(null as {{ dbt.type_timestamp() }}) as became_customer_at,
        false as is_customer,
        true as is_unknown_member
),

unioned as (
    select * from resolved
    union all
    select * from unknown_member
),

final as (
    select
        cast(person_id as {{ dbt.type_string() }}) as person_id,
        cast(account_id as {{ dbt.type_string() }}) as account_id,
        cast(email_domain as {{ dbt.type_string() }}) as email_domain,
        cast(salesforce_contact_id as {{ dbt.type_string() }}) as salesforce_contact_id,
        cast(salesforce_lead_id as {{ dbt.type_string() }}) as salesforce_lead_id,
        cast(hubspot_contact_id as {{ dbt.type_string() }}) as hubspot_contact_id,
        is_in_salesforce,
        is_in_hubspot,
        cast(record_count as {{ dbt.type_bigint() }}) as record_count,
        cast(identity_link_method as {{ dbt.type_string() }}) as identity_link_method,
        cast(lead_source as {{ dbt.type_string() }}) as lead_source,
        cast(analytics_source as {{ dbt.type_string() }}) as analytics_source,
        cast(original_channel as {{ dbt.type_string() }}) as original_channel,
        cast(hubspot_lifecycle_stage as {{ dbt.type_string() }}) as hubspot_lifecycle_stage,
        cast(hubspot_funnel_stage as {{ dbt.type_string() }}) as hubspot_funnel_stage,
        cast(lead_status as {{ dbt.type_string() }}) as lead_status,
        cast(lead_status_funnel_stage as {{ dbt.type_string() }}) as lead_status_funnel_stage,
        cast(owner_id as {{ dbt.type_string() }}) as owner_id,
        cast(first_seen_at as {{ dbt.type_timestamp() }}) as first_seen_at,
        cast(became_lead_at as {{ dbt.type_timestamp() }}) as became_lead_at,
        cast(became_mql_at as {{ dbt.type_timestamp() }}) as became_mql_at,
        cast(became_sal_at as {{ dbt.type_timestamp() }}) as became_sal_at,
        cast(became_sql_at as {{ dbt.type_timestamp() }}) as became_sql_at,
        cast(first_opportunity_at as {{ dbt.type_timestamp() }}) as first_opportunity_at,
        cast(became_customer_at as {{ dbt.type_timestamp() }}) as became_customer_at,
        is_customer,
        is_unknown_member
    from unioned
)

select * from final
