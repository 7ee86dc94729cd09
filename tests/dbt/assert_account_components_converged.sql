-- Account resolution ran enough label-propagation passes: every business domain, and every
-- account / company / person carrying it, ends in one account. Returns split domains.
with

identities as (
    select * from {{ ref('int_account_identities') }}
),

domain_accounts as (
    select
        record_id as domain,
        account_id
    from identities
    where record_type = 'domain'
),

holders as (
    select
        accounts.domain,
        identities.account_id
    from {{ ref('stg_salesforce__accounts') }} as accounts
    inner join identities
        on
            identities.record_type = 'salesforce_account'
            and accounts.account_id = identities.record_id
    where accounts.domain is not null

    union all

    select
        companies.domain,
        identities.account_id
    from {{ ref('stg_hubspot__companies') }} as companies
    inner join identities
        on
            identities.record_type = 'hubspot_company'
            and companies.company_id = identities.record_id
    where companies.domain is not null
)

select
    holders.domain,
    holders.account_id,
    domain_accounts.account_id as domain_account_id
from holders
inner join domain_accounts
    on holders.domain = domain_accounts.domain
where holders.account_id != domain_accounts.account_id
