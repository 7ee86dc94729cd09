{#-
    The opportunity_type_mapping seed with the key its values are matched on (picklist_key):
    data values in any spelling of a seed value ('New Customer', 'new customer', 'NEW_CUSTOMER')
    find its row. int_opportunities_enriched applies it; rule mapping_coverage reports the values
    it lacks.
-#}
with

mapping as (
    select * from {{ ref('opportunity_type_mapping') }}
),

keyed as (
    select
        source_value,
        {{ picklist_key('source_value') }} as match_key,
        opportunity_type
    from mapping
)

select * from keyed
