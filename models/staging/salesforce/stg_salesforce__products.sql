with

source as (
    {{ staged_rows('salesforce', 'product_2', ['id']) }}
),

renamed as (
    select
        cast(id as {{ dbt.type_string() }}) as product_id,
        name as product_name,
        family as product_family,
        coalesce(is_active, false) as is_active,
        {{ to_utc_timestamp('_fivetran_synced') }} as synced_at
    from source
)

select * from renamed
