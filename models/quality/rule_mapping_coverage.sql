{#-
    Rule 11 mapping_coverage: distinct (picklist, value) pairs met in the data that the
    warehouse's mapping seeds do not map (they would land in 'unmapped'). Values match on their
    picklist key, as the models match them (macro picklist_key: lower-case, every run of other
    characters than a-z0-9 one '_', no leading or trailing '_'): stage picklists through
    stg_reference__stage_mapping, channel picklists through
    stg_reference__channel_mapping ('*' maps nothing by itself), the opportunity type through
    stg_reference__opportunity_type_mapping (an unmapped type is inferred, doc
    opportunity_type, and reported here so the seed can be extended).
-#}

{#- (picklist, the raw table and column holding its values) -#}
{%- set picklist_columns = [
    ('lead_status', 'salesforce_lead', 'status'),
    ('lead_source', 'salesforce_lead', 'lead_source'),
    ('lead_source', 'salesforce_contact', 'lead_source'),
    ('lead_source', 'salesforce_opportunity', 'lead_source'),
    ('opportunity_stage', 'salesforce_opportunity', 'stage_name'),
    ('opportunity_type', 'salesforce_opportunity', 'type'),
    ('lifecycle_stage', 'hubspot_contact', 'property_lifecyclestage'),
    ('analytics_source', 'hubspot_contact', 'property_hs_analytics_source'),
    ('utm_source', 'web_sessions', 'utm_source'),
    ('utm_medium', 'web_sessions', 'utm_medium'),
] %}

with

{{ live_tables([
    'salesforce.lead', 'salesforce.contact', 'salesforce.opportunity', 'hubspot.contact',
    'web.sessions',
]) }},

seen as (
    {% for picklist, table_cte, column in picklist_columns -%}
    select
        '{{ picklist }}' as picklist,
        {{ column }} as value
    from {{ table_cte }}
    {% if not loop.last %}union{% endif %}
    {% endfor %}
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

type_values as (
    select
        'opportunity_type' as picklist,
        match_key as value_key
    from {{ ref('stg_reference__opportunity_type_mapping') }}
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
    and not exists (
        select 1 from type_values as m
        where m.picklist = s.picklist and m.value_key = s.value_key
    )
