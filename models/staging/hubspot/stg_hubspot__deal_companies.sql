with

source as (
    {{ staged_rows('hubspot', 'deal_company', ['deal_id', 'company_id']) }}
),

renamed as (
    select
        cast(deal_id as {{ dbt.type_string() }}) as deal_id,
        cast(company_id as {{ dbt.type_string() }}) as company_id,
        {{ to_utc_timestamp('_fivetran_synced') }} as synced_at
    from source
)

select * from renamed
