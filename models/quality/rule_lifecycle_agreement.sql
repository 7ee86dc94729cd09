{#-
    Rule 3 lifecycle_agreement: live HubSpot contacts whose lifecycle stage disagrees with the
    CRM. For the contact's normalised email e: W = a live CRM contact with email e belongs to a
    live account with a live won opportunity; S = a live CRM contact has email e. Offending:
    W and not 'customer'; not W and 'customer'; S and not W and still a marketing stage.
-#}

with

{{ live_tables([
    'salesforce.account', 'salesforce.opportunity', 'salesforce.contact', 'hubspot.contact',
]) }},

won_accounts as (
    select a.id as account_id
    from salesforce_account as a
    where exists (
            select 1 from salesforce_opportunity as o
            where o.account_id = a.id and o.is_won
        )
),

crm_contacts as (
    select
        {{ normalize_email('email') }} as email,
        account_id
    from salesforce_contact
),

flagged as (
    select
        h.id,
        h.property_email,
        h.property_lifecyclestage,
        exists(
            select 1
            from crm_contacts as c
            inner join won_accounts as w on c.account_id = w.account_id
            where c.email = {{ normalize_email('h.property_email') }}
        ) as has_won_account,
        exists(
            select 1 from crm_contacts as c
            where c.email = {{ normalize_email('h.property_email') }}
        ) as is_crm_contact
    from hubspot_contact as h
)

select
    cast(id as {{ dbt.type_string() }}) as hubspot_contact_id,
    property_email as email,
    property_lifecyclestage as lifecycle_stage,
    has_won_account,
    is_crm_contact,
    case
        when has_won_account then 'won account but not customer'
        when property_lifecyclestage = 'customer' then 'customer without won account'
        else 'CRM contact still in a marketing stage'
    end as finding
from flagged
where (has_won_account and property_lifecyclestage <> 'customer')
    or (not has_won_account and property_lifecyclestage = 'customer')
    or (
        is_crm_contact
        and not has_won_account
        and property_lifecyclestage in ('subscriber', 'lead', 'marketingqualifiedlead')
    )
