{#-
    Rule 2 duplicate_people: per system row set, count(*) - count(distinct normalised email),
    returned row by row: every record after the first with the same normalised email, and every
    record without an email (count(distinct) ignores them). Row sets: live HubSpot contacts, live
    Salesforce contacts, live unconverted Salesforce leads. Merged HubSpot records are deleted or
    gone, so they never count.
-#}

with

hubspot_contact as (
    select * from {{ contract_source('hubspot', 'contact') }}
),

salesforce_contact as (
    select * from {{ contract_source('salesforce', 'contact') }}
),

salesforce_lead as (
    select * from {{ contract_source('salesforce', 'lead') }}
),

people as (
    select
        'hubspot.contact' as record_set,
        cast(id as {{ dbt.type_string() }}) as record_id,
        {{ normalize_email('property_email') }} as email
    from hubspot_contact
    where not coalesce(_fivetran_deleted, false)
    union all
    select
        'salesforce.contact' as record_set,
        id as record_id,
        {{ normalize_email('email') }} as email
    from salesforce_contact
    where not coalesce(is_deleted, false)
    union all
    select
        'salesforce.lead' as record_set,
        id as record_id,
        {{ normalize_email('email') }} as email
    from salesforce_lead
    where not coalesce(is_deleted, false)
        and not coalesce(is_converted, false)
),

ranked as (
    select
        record_set,
        record_id,
        email,
        row_number() over (partition by record_set, email order by record_id) as nth,
        count(*) over (partition by record_set, email) as records_with_email
    from people
)

select
    record_set,
    record_id,
    email,
    records_with_email,
    case when email is null then 'no email' else 'duplicate email' end as finding
from ranked
where email is null or nth > 1
