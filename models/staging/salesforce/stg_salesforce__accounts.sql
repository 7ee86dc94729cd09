with

source as (
    {{ staged_rows('salesforce', 'account', ['id'], deleted='is_deleted') }}
),

renamed as (
    select
        cast(id as {{ dbt.type_string() }}) as account_id,
        name as account_name,
        website,
        {{ normalize_domain('website') }} as domain,
        industry,
        cast(number_of_employees as {{ dbt.type_bigint() }}) as number_of_employees,
        billing_country,
        type as account_type,
        owner_id,
        {{ to_utc_timestamp('created_date') }} as created_at,
        {{ to_utc_timestamp('_fivetran_synced') }} as synced_at
    from source
)

select * from renamed
