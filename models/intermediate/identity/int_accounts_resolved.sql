{#-
    One row per resolved account (company): Salesforce accounts and/or HubSpot companies merged
    as int_account_identities decides (explicit links only, never people's email domains).
    Attributes prefer Salesforce (the system of record for accounts), then HubSpot, then the
    web site domain.
-#}
with

identities as (
    select * from {{ ref('int_account_identities') }}
),

sf_accounts as (
    select * from {{ ref('stg_salesforce__accounts') }}
),

hs_companies as (
    select * from {{ ref('stg_hubspot__companies') }}
),

sf_ranked as (
    select
        identities.account_id as resolved_account_id,
        sf_accounts.*,
        row_number() over (
            partition by identities.account_id
            order by sf_accounts.created_at, sf_accounts.account_id
        ) as account_rank
    from identities
    inner join sf_accounts
        on
            identities.record_type = 'salesforce_account'
            and identities.record_id = sf_accounts.account_id
),

hs_ranked as (
    select
        identities.account_id as resolved_account_id,
        hs_companies.*,
        row_number() over (
            partition by identities.account_id order by hs_companies.company_id
        ) as company_rank
    from identities
    inner join hs_companies
        on
            identities.record_type = 'hubspot_company'
            and identities.record_id = hs_companies.company_id
),

domains as (
    select
        account_id,
        min(record_id) as first_domain,
        count(*) as domain_count
    from identities
    where record_type = 'domain'
    group by account_id
),

record_counts as (
    select
        account_id,
        sum(case when record_type = 'salesforce_account' then 1 else 0 end)
            as salesforce_account_count,
        sum(case when record_type = 'hubspot_company' then 1 else 0 end)
            as hubspot_company_count,
        sum(case when record_type = 'person' then 1 else 0 end) as person_count
    from identities
    group by account_id
),

final as (
    select
        record_counts.account_id,
        coalesce(sf.account_name, hs.company_name, sf.domain, hs.domain, domains.first_domain)
            as account_name,
        coalesce(sf.domain, hs.domain, domains.first_domain) as domain,
        coalesce(domains.domain_count, 0) as domain_count,
        coalesce(sf.industry, hs.industry) as industry,
        sf.number_of_employees,
        sf.billing_country,
        sf.account_type,
        sf.owner_id,
        sf.created_at,
        sf.account_id as salesforce_account_id,
        hs.company_id as hubspot_company_id,
        hs.lifecycle_stage as hubspot_lifecycle_stage,
        record_counts.salesforce_account_count,
        record_counts.hubspot_company_count,
        record_counts.person_count,
        case
            when sf.account_id is not null and hs.company_id is not null then 'both'
            when sf.account_id is not null then 'salesforce'
            when hs.company_id is not null then 'hubspot'
            else 'unknown'
        end as resolved_from
    from record_counts
    left join sf_ranked as sf
        on record_counts.account_id = sf.resolved_account_id and sf.account_rank = 1
    left join hs_ranked as hs
        on record_counts.account_id = hs.resolved_account_id and hs.company_rank = 1
    left join domains
        on record_counts.account_id = domains.account_id
)

select * from final
