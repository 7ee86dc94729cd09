-- Rule 11 mapping_coverage: distinct (picklist, value) pairs met in the data that the
-- warehouse's mapping seeds do not map (they would land in 'unmapped'). Values match on their
-- picklist key, as the models match them (macro picklist_key: lower-case, every run of other
-- characters than a-z0-9 one '_', no leading or trailing '_'): stage picklists through
-- staging.stg_reference__stage_mapping, channel picklists through
-- staging.stg_reference__channel_mapping ('*' maps nothing by itself).
with

seen as (
    select 'lead_status' as picklist, status as value
    from raw_salesforce.lead
    where not coalesce(is_deleted, false)
    union
    select 'lead_source' as picklist, lead_source as value
    from raw_salesforce.lead
    where not coalesce(is_deleted, false)
    union
    select 'lead_source' as picklist, lead_source as value
    from raw_salesforce.contact
    where not coalesce(is_deleted, false)
    union
    select 'lead_source' as picklist, lead_source as value
    from raw_salesforce.opportunity
    where not coalesce(is_deleted, false)
    union
    select 'opportunity_stage' as picklist, stage_name as value
    from raw_salesforce.opportunity
    where not coalesce(is_deleted, false)
    union
    select 'lifecycle_stage' as picklist, property_lifecyclestage as value
    from raw_hubspot.contact
    where not coalesce(_fivetran_deleted, false)
    union
    select 'analytics_source' as picklist, property_hs_analytics_source as value
    from raw_hubspot.contact
    where not coalesce(_fivetran_deleted, false)
    union
    select 'utm_source' as picklist, utm_source as value
    from raw_web.sessions
    union
    select 'utm_medium' as picklist, utm_medium as value
    from raw_web.sessions
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
    from staging.stg_reference__stage_mapping
),

channel_values as (
    select
        case mapping_type
            when 'lead_source' then 'lead_source'
            when 'hubspot_analytics_source' then 'analytics_source'
            when 'utm' then 'utm_source'
        end as picklist,
        source_key as value_key
    from staging.stg_reference__channel_mapping
    where source_key <> '*'
    union all
    select 'utm_medium' as picklist, medium_key as value_key
    from staging.stg_reference__channel_mapping
    where mapping_type = 'utm'
        and medium_key <> '*'
),

keyed as (
    select
        picklist,
        value,
        trim(both '_' from regexp_replace(lower(trim(value)), '[^a-z0-9]+', '_', 'g'))
            as value_key
    from seen
    where value is not null
)

select s.picklist, s.value
from keyed as s
where s.value_key <> ''
    and not exists (
        select 1 from stage_values as m
        where m.picklist = s.picklist and m.value_key = s.value_key
    )
    and not exists (
        select 1 from channel_values as m
        where m.picklist = s.picklist and m.value_key = s.value_key
    )
