{#-
    One row per resolved account (grain: account_id) plus the unknown member '-1'. A customer is
    an account with at least one won New Business opportunity (is_customer; became_customer_at
    = its first such win); won_opportunity_count counts wins of every type.
-#}
with

accounts as (
    select * from {{ ref('int_accounts_resolved') }}
),

opportunities as (
    select * from {{ ref('int_opportunities_enriched') }}
),

wins as (
    select
        resolved_account_id as account_id,
        min(case when opportunity_type = 'New Business' then won_at end)
            as became_customer_at,
        count(*) as won_opportunity_count
    from opportunities
    where is_won and resolved_account_id is not null
    group by resolved_account_id
),

resolved as (
    select
        accounts.account_id,
        accounts.account_name,
        accounts.domain,
        accounts.domain_count,
        accounts.industry,
        accounts.number_of_employees,
        accounts.billing_country,
        accounts.account_type,
        accounts.owner_id,
        accounts.created_at,
        accounts.salesforce_account_id,
        accounts.hubspot_company_id,
        accounts.hubspot_lifecycle_stage,
        accounts.resolved_from,
        accounts.person_count,
        wins.became_customer_at,
        coalesce(wins.won_opportunity_count, 0) as won_opportunity_count,
        wins.became_customer_at is not null as is_customer,
        false as is_unknown_member
    from accounts
    left join wins
        on accounts.account_id = wins.account_id
),

{{ marts_dimension_with_unknown_member('resolved', [
    ('account_id', 'string', "'-1'"),
    ('account_name', 'string', "'Unknown account'"),
    ('domain', 'string'),
    ('domain_count', 'bigint', '0'),
    ('industry', 'string'),
    ('number_of_employees', 'bigint'),
    ('billing_country', 'string'),
    ('account_type', 'string'),
    ('owner_id', 'string'),
    ('created_at', 'timestamp'),
    ('salesforce_account_id', 'string'),
    ('hubspot_company_id', 'string'),
    ('hubspot_lifecycle_stage', 'string'),
    ('resolved_from', 'string', "'unknown'"),
    ('person_count', 'bigint', '0'),
    ('became_customer_at', 'timestamp'),
    ('won_opportunity_count', 'bigint', '0'),
    ('is_customer', none, 'false'),
    ('is_unknown_member', none, 'true'),
]) }}
