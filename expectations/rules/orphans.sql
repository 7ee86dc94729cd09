-- Rule 6 orphans (provisional).
select 'salesforce.opportunity' as record, o.id as record_id, 'account does not exist' as finding
from raw_salesforce.opportunity as o
where not coalesce(o.is_deleted, false)
    and not exists (select 1 from raw_salesforce.account as a where a.id = o.account_id)
union all
select 'salesforce.contact', c.id, 'no account'
from raw_salesforce.contact as c
where not coalesce(c.is_deleted, false) and c.account_id is null
union all
select 'hubspot.email_event', e.id, 'unknown recipient'
from raw_hubspot.email_event as e
where not exists (
    select 1 from raw_hubspot.contact as h
    where lower(trim(h.property_email)) = lower(trim(e.recipient))
)
