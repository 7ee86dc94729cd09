-- Rule 3 lifecycle_agreement (provisional): marketing "customer" without a won CRM account.
with

won_accounts as (
    select distinct account_id
    from raw_salesforce.opportunity
    where coalesce(is_won, false) and not coalesce(is_deleted, false)
),

crm_contacts as (
    select nullif(lower(trim(email)), '') as email, account_id
    from raw_salesforce.contact
    where not coalesce(is_deleted, false)
)

select h.id as hubspot_contact_id, h.property_email as email, h.property_lifecyclestage
from raw_hubspot.contact as h
where not coalesce(h._fivetran_deleted, false)
    and h.property_lifecyclestage = 'customer'
    and not exists (
        select 1
        from crm_contacts as c
        inner join won_accounts as w on w.account_id = c.account_id
        where c.email = nullif(lower(trim(h.property_email)), '')
    )
