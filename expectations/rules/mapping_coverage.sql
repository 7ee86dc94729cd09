-- Rule 11 mapping_coverage: distinct (picklist, value) pairs met in the data that the
-- warehouse's mapping seeds do not map (they would land in 'unmapped'). Stage picklists map
-- through seed stage_mapping (exact values); channel picklists through seed channel_mapping
-- (its values are lower-case, compared lower-case; '*' maps nothing by itself).
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
        source_value as value
    from staging.stage_mapping
),

channel_values as (
    select
        case mapping_type
            when 'lead_source' then 'lead_source'
            when 'hubspot_analytics_source' then 'analytics_source'
            when 'utm' then 'utm_source'
        end as picklist,
        lower(source_value) as value
    from staging.channel_mapping
    where source_value <> '*'
    union all
    select 'utm_medium' as picklist, lower(medium_value) as value
    from staging.channel_mapping
    where mapping_type = 'utm'
        and medium_value <> '*'
)

select s.picklist, s.value
from seen as s
where s.value is not null
    and s.value <> ''
    and not exists (
        select 1 from stage_values as m
        where m.picklist = s.picklist and m.value = s.value
    )
    and not exists (
        select 1 from channel_values as m
        where m.picklist = s.picklist and m.value = lower(s.value)
    )
