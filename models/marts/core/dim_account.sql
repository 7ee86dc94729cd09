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

unknown_member as (
    select
        '-1' as account_id,
        'Unknown account' as account_name,
        cast(null as {{ dbt.type_string() }}) as domain,
        0 as domain_count,
        cast(null as {{ dbt.type_string() }}) as industry,
        cast(null as {{ dbt.type_bigint() }}) as number_of_employees,
        cast(null as {{ dbt.type_string() }}) as billing_country,
        cast(null as {{ dbt.type_string() }}) as account_type,
        cast(null as {{ dbt.type_string() }}) as owner_id,
        cast(null as {{ dbt.type_timestamp() }}) as created_at,
        cast(null as {{ dbt.type_string() }}) as salesforce_account_id,
        cast(null as {{ dbt.type_string() }}) as hubspot_company_id,
        cast(null as {{ dbt.type_string() }}) as hubspot_lifecycle_stage,
        'unknown' as resolved_from,
        0 as person_count,
        cast(null as {{ dbt.type_timestamp() }}) as became_customer_at,
        0 as won_opportunity_count,
        false as is_customer,
        true as is_unknown_member
),

unioned as (
    select * from resolved
    union all
    select * from unknown_member
),

final as (
    select
        cast(account_id as {{ dbt.type_string() }}) as account_id,
        cast(account_name as {{ dbt.type_string() }}) as account_name,
        cast(domain as {{ dbt.type_string() }}) as domain,
        cast(domain_count as {{ dbt.type_bigint() }}) as domain_count,
        cast(industry as {{ dbt.type_string() }}) as industry,
        cast(number_of_employees as {{ dbt.type_bigint() }}) as number_of_employees,
        cast(billing_country as {{ dbt.type_string() }}) as billing_country,
        cast(account_type as {{ dbt.type_string() }}) as account_type,
        cast(owner_id as {{ dbt.type_string() }}) as owner_id,
        cast(created_at as {{ dbt.type_timestamp() }}) as created_at,
        cast(salesforce_account_id as {{ dbt.type_string() }}) as salesforce_account_id,
        cast(hubspot_company_id as {{ dbt.type_string() }}) as hubspot_company_id,
        cast(hubspot_lifecycle_stage as {{ dbt.type_string() }}) as hubspot_lifecycle_stage,
        cast(resolved_from as {{ dbt.type_string() }}) as resolved_from,
        cast(person_count as {{ dbt.type_bigint() }}) as person_count,
        cast(became_customer_at as {{ dbt.type_timestamp() }}) as became_customer_at,
        cast(won_opportunity_count as {{ dbt.type_bigint() }}) as won_opportunity_count,
        is_customer,
        is_unknown_member
    from unioned
)

select * from final
