-- Rule 14 missing_fields: live records that lack a field the marts rely on. They are kept
-- with a documented fallback, never dropped (severity policy: a row-level finding):
--   salesforce.opportunity created_date (created_at estimated: its first stage change, else
--     the start of its close day, else its first sync) and close_date (no win/loss day);
--   salesforce.lead created_date and email, salesforce.contact email, hubspot.contact
--     property_createdate and property_email (a person without email links through ids only).
-- One row per (record, field).
with

missing as (
    select 'salesforce.opportunity' as record_type, id as record_id, 'created_date' as field
    from raw_salesforce.opportunity
    where not coalesce(is_deleted, false) and created_date is null
    union all
    select 'salesforce.opportunity' as record_type, id as record_id, 'close_date' as field
    from raw_salesforce.opportunity
    where not coalesce(is_deleted, false) and close_date is null
    union all
    select 'salesforce.lead' as record_type, id as record_id, 'created_date' as field
    from raw_salesforce.lead
    where not coalesce(is_deleted, false) and created_date is null
    union all
    select 'salesforce.lead' as record_type, id as record_id, 'email' as field
    from raw_salesforce.lead
    where not coalesce(is_deleted, false) and nullif(trim(email), '') is null
    union all
    select 'salesforce.contact' as record_type, id as record_id, 'email' as field
    from raw_salesforce.contact
    where not coalesce(is_deleted, false) and nullif(trim(email), '') is null
    union all
    select 'hubspot.contact' as record_type, cast(id as varchar) as record_id,
        'property_createdate' as field
    from raw_hubspot.contact
    where not coalesce(_fivetran_deleted, false) and property_createdate is null
    union all
    select 'hubspot.contact' as record_type, cast(id as varchar) as record_id,
        'property_email' as field
    from raw_hubspot.contact
    where not coalesce(_fivetran_deleted, false) and nullif(trim(property_email), '') is null
)

select record_type, record_id, field, 'missing ' || field as finding
from missing
