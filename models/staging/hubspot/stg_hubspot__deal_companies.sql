with

source as (
    select * from {{ contract_source('hubspot', 'deal_company') }}
),

latest as (
    {{ latest_version('source', ['deal_id', 'company_id']) }}
),

renamed as (
    select
        cast(deal_id as {{ dbt.type_string() }}) as deal_id,
        cast(company_id as {{ dbt.type_string() }}) as company_id,
        {{ to_utc_timestamp('_fivetran_synced') }} as synced_at
    from latest
    -- a row without its key cannot be modelled (rule conservation counts it)
    where deal_id is not null and company_id is not null
)

select * from renamed
