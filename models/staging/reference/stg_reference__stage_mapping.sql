{#-
    The stage_mapping seed with the key its values are matched on (picklist_key): data values
    in any spelling of a seed value ('Closed - Won', 'closed won', 'CLOSED_WON') find its row.
-#}
with

mapping as (
    select * from {{ ref('stage_mapping') }}
),

keyed as (
    select
        source_system,
        stage_field,
        source_value,
        {{ picklist_key('source_value') }} as match_key,
        funnel_stage,
        stage_class,
        stage_order
    from mapping
)

select * from keyed
