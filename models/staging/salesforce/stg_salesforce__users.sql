with

source as (
    {{ staged_rows('salesforce', 'user', ['id']) }}
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
    from source
)

select * from renamed
