-- int_hubspot_contact_merges reads at most 20 ';'-separated merged ids per contact.
-- Returns contacts listing more (raise max_merged in that model then).
select
    contact_id,
    merged_contact_ids
from {{ ref('stg_hubspot__contacts') }}
where
    merged_contact_ids is not null
    and {{ dbt.length('merged_contact_ids') }}
    - {{ dbt.length(dbt.replace('merged_contact_ids', "';'", "''")) }} + 1 > 20
