-- Rule 10 ownership (provisional): records without an active owner.
with

active_users as (
    select id from raw_salesforce."user" where coalesce(is_active, false)
)

select 'salesforce.opportunity' as record, o.id as record_id, o.owner_id
from raw_salesforce.opportunity as o
where not coalesce(o.is_deleted, false)
    and not exists (select 1 from active_users as u where u.id = o.owner_id)
union all
select 'salesforce.account', a.id, a.owner_id
from raw_salesforce.account as a
where not coalesce(a.is_deleted, false)
    and not exists (select 1 from active_users as u where u.id = a.owner_id)
