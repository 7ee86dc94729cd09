-- Rule 6 orphans: (a) live opportunities and (b) live CRM contacts without a live account;
-- (c) marketing email events whose normalised recipient is no live marketing contact's email;
-- (d) form submissions whose contact_id is no live marketing contact.
-- A part whose parent table is absent from the export (no accounts, no marketing contacts) is
-- not checked: an absent table is not evidence of missing parents.
with

live_accounts as (
    select id from raw_salesforce.account
    where not coalesce(is_deleted, false)
),

live_marketing_contacts as (
    select id, lower(trim(property_email)) as email
    from raw_hubspot.contact
    where not coalesce(_fivetran_deleted, false)
)

select 'salesforce.opportunity' as record_type, o.id as record_id,
    o.account_id as missing_parent, 'opportunity without account' as finding
from raw_salesforce.opportunity as o
where {{ exists.raw_salesforce.account }}
    and not coalesce(o.is_deleted, false)
    and not exists (select 1 from live_accounts as a where a.id = o.account_id)
union all
select 'salesforce.contact' as record_type, c.id as record_id,
    c.account_id as missing_parent, 'contact without account' as finding
from raw_salesforce.contact as c
where {{ exists.raw_salesforce.account }}
    and not coalesce(c.is_deleted, false)
    and not exists (select 1 from live_accounts as a where a.id = c.account_id)
union all
select 'hubspot.email_event' as record_type, e.id as record_id,
    e.recipient as missing_parent, 'email event for unknown recipient' as finding
from raw_hubspot.email_event as e
where {{ exists.raw_hubspot.contact }} and not exists (
    select 1 from live_marketing_contacts as h
    where h.email = lower(trim(e.recipient))
)
union all
select 'hubspot.contact_form_submission' as record_type, s.conversion_id as record_id,
    cast(s.contact_id as varchar) as missing_parent,
    'form submission for unknown contact' as finding
from raw_hubspot.contact_form_submission as s
where {{ exists.raw_hubspot.contact }}
    and not exists (select 1 from live_marketing_contacts as h where h.id = s.contact_id)
