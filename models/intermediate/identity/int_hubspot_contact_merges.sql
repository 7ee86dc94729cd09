{#-
    HubSpot merges: the surviving contact lists the ids merged into it in
    property_hs_merged_object_ids (';'-separated). One row per (merged id -> surviving contact).
    Split portably with split_part over a fixed list of positions: at most max_merged ids per
    contact are read (the singular test assert_hubspot_merged_ids_within_bound guards the bound).
-#}
{%- set max_merged = 20 -%}

with

contacts as (
    select * from {{ ref('stg_hubspot__contacts') }}
),

positions as (
    {% for i in range(1, max_merged + 1) -%}
    select {{ i }} as position_number
    {%- if not loop.last %} union all {% endif %}
    {% endfor %}
),

split as (
    select
        contacts.contact_id,
        trim({{ split_part_at(
            'contacts.merged_contact_ids', "';'", 'positions.position_number'
        ) }})
            as merged_contact_id
    from contacts
    cross join positions
    where contacts.merged_contact_ids is not null
),

final as (
    select distinct
        merged_contact_id,
        contact_id as surviving_contact_id
    from split
    where
        merged_contact_id is not null
        and merged_contact_id != ''
        and merged_contact_id != contact_id
)

select * from final
