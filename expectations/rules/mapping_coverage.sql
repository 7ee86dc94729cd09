-- Rule 11 mapping_coverage (provisional): picklist values without a mapping.
select distinct 'lead_status' as picklist, status as value
from raw_salesforce.lead
where status not in (
    'Open - Not Contacted', 'Working - Contacted', 'Nurturing', 'Qualified', 'Unqualified'
)
union all
select distinct 'lifecycle_stage', property_lifecyclestage
from raw_hubspot.contact
where property_lifecyclestage not in (
    'subscriber', 'lead', 'marketingqualifiedlead', 'salesqualifiedlead', 'opportunity',
    'customer'
)
