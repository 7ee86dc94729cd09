with

source as (
    select * from {{ contract_source('salesforce', 'user') }}
),

latest as (
    {{ latest_version('source', ['id']) }}
),

renamed as (
    select
        cast(id as {{ dbt.type_string() }}) as user_id,
        name as user_name,
        {{ normalize_email('email') }} as email,
        user_role,
        manager_id,
        coalesce(is_active, false) as is_active,
        {{ to_utc_timestamp('_fivetran_synced') }} as synced_at
    from latest
    -- a row without its key cannot be modelled (rule conservation counts it)
    where id is not null
)

select * from renamed
