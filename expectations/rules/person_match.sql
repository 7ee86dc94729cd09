-- Rule 1 person_match (provisional until simulator/RULES.md): one row per unmatched person.
with

crm_people as (
    select 'salesforce.lead' as record, id as record_id, nullif(lower(trim(email)), '') as email
    from raw_salesforce.lead
    where not coalesce(is_deleted, false)
        and lead_source not in ('Outbound', 'Cold Call')
    union all
    select 'salesforce.contact', id, nullif(lower(trim(email)), '')
    from raw_salesforce.contact
    where not coalesce(is_deleted, false)
        and lead_source not in ('Outbound', 'Cold Call')
),

marketing_people as (
    select
        'hubspot.contact' as record,
        cast(id as varchar) as record_id,
        nullif(lower(trim(property_email)), '') as email,
        property_hs_lifecyclestage_marketingqualifiedlead_date as mql_at
    from raw_hubspot.contact
    where not coalesce(_fivetran_deleted, false)
)

select c.record, c.record_id, c.email, 'no marketing contact' as finding
from crm_people as c
where c.email is not null
    and not exists (select 1 from marketing_people as m where m.email = c.email)
union all
select m.record, m.record_id, m.email, 'MQL without CRM lead or contact'
from marketing_people as m
where m.mql_at is not null and m.email is not null
    and not exists (select 1 from crm_people as c where c.email = m.email)
