{#-
    One row per resolved person (int_person_identities). Attributes prefer the CRM: the
    Salesforce contact, else the lead, else the HubSpot contact, else the web visitor (earliest
    record of each kind first). Holds PII (email, names): marts expose only hashes/domains.
-#}
with

identities as (
    select * from {{ ref('int_person_identities') }}
),

records as (
    select * from {{ ref('int_identity_records') }}
),

account_identities as (
    select * from {{ ref('int_account_identities') }}
),

sf_contacts as (
    select * from {{ ref('stg_salesforce__contacts') }}
),

sf_leads as (
    select * from {{ ref('stg_salesforce__leads') }}
),

hs_contacts as (
    select * from {{ ref('stg_hubspot__contacts') }}
),

person_records as (
    select
        identities.person_id,
        identities.record_type,
        identities.record_id,
        records.type_rank,
        records.email,
        records.email_domain,
        records.first_name,
        records.last_name,
        records.company_name,
        records.created_at,
        row_number() over (
            partition by identities.person_id
            order by records.type_rank, records.created_at nulls last, records.record_id
        ) as preference_rank,
        row_number() over (
            partition by identities.person_id, identities.record_type
            order by records.created_at nulls last, records.record_id
        ) as type_preference_rank
    from identities
    inner join records
        on identities.record_key = records.record_key
),

preferred_email as (
    select
        person_id,
        email,
        email_domain,
        row_number() over (
            partition by person_id order by type_rank, created_at nulls last, record_id
        ) as email_rank
    from person_records
    where email is not null
),

summary as (
    select
        person_id,
        min(created_at) as first_seen_at,
        count(*) as record_count,
        sum(case when record_type = 'salesforce_contact' then 1 else 0 end)
            as salesforce_contact_count,
        sum(case when record_type = 'salesforce_lead' then 1 else 0 end)
            as salesforce_lead_count,
        sum(case when record_type = 'hubspot_contact' then 1 else 0 end)
            as hubspot_contact_count,
        sum(case when record_type = 'web_visitor' then 1 else 0 end) as web_visitor_count
    from person_records
    group by person_id
),

first_of_type as (
    select
        person_id,
        max(case when record_type = 'salesforce_contact' then record_id end)
            as salesforce_contact_id,
        max(case when record_type = 'salesforce_lead' then record_id end) as salesforce_lead_id,
        max(case when record_type = 'hubspot_contact' then record_id end) as hubspot_contact_id
    from person_records
    where
        type_preference_rank = 1
        -- merged-away HubSpot ids (type_rank 4) never stand for the person
        and type_rank != 4
    group by person_id
),

person_accounts as (
    select
        record_id as person_id,
        account_id
    from account_identities
    where record_type = 'person'
),

final as (
    select
        summary.person_id,
        person_accounts.account_id,
        preferred_email.email,
        preferred_email.email_domain,
        preferred.first_name,
        preferred.last_name,
        preferred.company_name,
        first_of_type.salesforce_contact_id,
        first_of_type.salesforce_lead_id,
        first_of_type.hubspot_contact_id,
        coalesce(sf_contacts.owner_id, sf_leads.owner_id) as owner_id,
        coalesce(sf_contacts.lead_source, sf_leads.lead_source) as lead_source,
        hs_contacts.analytics_source,
        hs_contacts.lifecycle_stage as hubspot_lifecycle_stage,
        sf_leads.lead_status,
        summary.first_seen_at,
        summary.record_count,
        summary.salesforce_contact_count,
        summary.salesforce_lead_count,
        summary.hubspot_contact_count,
        summary.web_visitor_count,
        summary.salesforce_contact_count + summary.salesforce_lead_count > 0
            as is_in_salesforce,
        summary.hubspot_contact_count > 0 as is_in_hubspot
    from summary
    left join first_of_type
        on summary.person_id = first_of_type.person_id
    left join preferred_email
        on summary.person_id = preferred_email.person_id and preferred_email.email_rank = 1
    left join person_records as preferred
        on summary.person_id = preferred.person_id and preferred.preference_rank = 1
    left join person_accounts
        on summary.person_id = person_accounts.person_id
    left join sf_contacts
        on first_of_type.salesforce_contact_id = sf_contacts.contact_id
    left join sf_leads
        on first_of_type.salesforce_lead_id = sf_leads.lead_id
    left join hs_contacts
        on first_of_type.hubspot_contact_id = hs_contacts.contact_id
)

select * from final
