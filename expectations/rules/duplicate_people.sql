-- Rule 2 duplicate_people (provisional): one row per duplicated normalised email per system.
with

people as (
    select 'salesforce' as system, nullif(lower(trim(email)), '') as email
    from raw_salesforce.lead
    where not coalesce(is_deleted, false) and not coalesce(is_converted, false)
    union all
    select 'salesforce', nullif(lower(trim(email)), '')
    from raw_salesforce.contact
    where not coalesce(is_deleted, false)
    union all
    select 'hubspot', nullif(lower(trim(property_email)), '')
    from raw_hubspot.contact
    where not coalesce(_fivetran_deleted, false)
)

select system, email, count(*) as records
from people
where email is not null
group by system, email
having count(*) > 1
