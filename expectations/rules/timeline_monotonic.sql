-- Rule 5 timeline_monotonic (provisional): timelines that go backwards or into the future.
select 'salesforce.opportunity' as record, id as record_id, 'close before created' as finding
from raw_salesforce.opportunity
where not coalesce(is_deleted, false) and cast(close_date as date) < cast(created_date as date)
union all
select 'hubspot.contact', cast(id as varchar), 'MQL before created'
from raw_hubspot.contact
where not coalesce(_fivetran_deleted, false)
    and property_hs_lifecyclestage_marketingqualifiedlead_date < property_createdate
union all
select 'salesforce.lead', id, 'created in the future'
from raw_salesforce.lead
where not coalesce(is_deleted, false) and created_date > {{ as_of }}
