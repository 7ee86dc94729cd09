{#-
    The channel_mapping seed with the keys its values are matched on (picklist_key; '*', any
    value, stays '*'): 'Paid Search', 'paid-search' and 'PAID_SEARCH' in the data all find the
    row written 'paid_search'. Referrer domains are matched as normalised domains, not keys.
-#}
with

mapping as (
    select * from {{ ref('channel_mapping') }}
),

keyed as (
    select
        mapping_type,
        source_value,
        medium_value,
        case
            when trim(source_value) = '*' then '*'
            when mapping_type = 'referrer_domain' then {{ normalize_domain('source_value') }}
            else {{ picklist_key('source_value') }}
        end as source_key,
        case
            when trim(medium_value) = '*' then '*'
            else {{ picklist_key('medium_value') }}
        end as medium_key,
        channel
    from mapping
)

select * from keyed
