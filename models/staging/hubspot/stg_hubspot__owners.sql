with

source as (
    {{ staged_rows('hubspot', 'owner', ['owner_id']) }}
),

renamed as (
    select
        cast(owner_id as {{ dbt.type_string() }}) as owner_id,
        {{ normalize_email('email') }} as email,
        first_name,
        last_name,
        coalesce(is_active, false) as is_active,
        {{ to_utc_timestamp('_fivetran_synced') }} as synced_at
    from source
)

select * from renamed
