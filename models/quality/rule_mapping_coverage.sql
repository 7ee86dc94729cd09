{#-
    Rule 11 mapping_coverage: distinct (picklist, value) pairs met in the data that the
    warehouse's mapping seeds do not map (they would land in 'unmapped'). Values match on their
    picklist key, as the models match them (macro picklist_key: lower-case, every run of other
    characters than a-z0-9 one '_', no leading or trailing '_'): stage picklists through
    stg_reference__stage_mapping, channel picklists through
    stg_reference__channel_mapping ('*' maps nothing by itself).
-#}

with

salesforce_lead as (
    select * from {{ contract_source('salesforce', 'lead') }}
),

salesforce_contact as (
    select * from {{ contract_source('salesforce', 'contact') }}
),

salesforce_opportunity as (
    select * from {{ contract_source('salesforce', 'opportunity') }}
),

hubspot_contact as (
    select * from {{ contract_source('hubspot', 'contact') }}
),

web_sessions as (
    select * from {{ contract_source('web', 'sessions') }}
),

seen as (
    select
        'lead_status' as picklist,
        status as value
    from salesforce_lead
    where not coalesce(is_deleted, false)
    union
    select
        'lead_source' as picklist,
        lead_source as value
    from salesforce_lead
    where not coalesce(is_deleted, false)
    union
    select
        'lead_source' as picklist,
        lead_source as value
    from salesforce_contact
    where not coalesce(is_deleted, false)
    union
    select
        'lead_source' as picklist,
        lead_source as value
    from salesforce_opportunity
    where not coalesce(is_deleted, false)
    union
    select
        'opportunity_stage' as picklist,
        stage_name as value
    from salesforce_opportunity
    where not coalesce(is_deleted, false)
    union
    select
        'lifecycle_stage' as picklist,
        property_lifecyclestage as value
    from hubspot_contact
    where not coalesce(_fivetran_deleted, false)
    union
    select
        'analytics_source' as picklist,
        property_hs_analytics_source as value
    from hubspot_contact
    where not coalesce(_fivetran_deleted, false)
    union
    select
        'utm_source' as picklist,
        utm_source as value
    from web_sessions
    union
    select
        'utm_medium' as picklist,
        utm_medium as value
    from web_sessions
),

stage_values as (
    select
        case
            when source_system = 'salesforce' and stage_field = 'lead_status' then 'lead_status'
            when source_system = 'salesforce' and stage_field = 'opportunity_stage'
                then 'opportunity_stage'
            when source_system = 'hubspot' and stage_field = 'lifecycle_stage'
                then 'lifecycle_stage'
        end as picklist,
        match_key as value_key
    from {{ ref('stg_reference__stage_mapping') }}
),

channel_values as (
    select
        case mapping_type
            when 'lead_source' then 'lead_source'
            when 'hubspot_analytics_source' then 'analytics_source'
            when 'utm' then 'utm_source'
        end as picklist,
        source_key as value_key
    from {{ ref('stg_reference__channel_mapping') }}
    where source_key <> '*'
    union all
    select
        'utm_medium' as picklist,
        medium_key as value_key
    from {{ ref('stg_reference__channel_mapping') }}
    where mapping_type = 'utm'
        and medium_key <> '*'
),

keyed as (
    select
        picklist,
        value,
        {{ picklist_key('value') }}
            as value_key
    from seen
    where value is not null
)

select
    s.picklist,
    s.value
from keyed as s
where s.value_key is not null
    and not exists (
        select 1 from stage_values as m
        where m.picklist = s.picklist and m.value_key = s.value_key
    )
    and not exists (
        select 1 from channel_values as m
        where m.picklist = s.picklist and m.value_key = s.value_key
    )
