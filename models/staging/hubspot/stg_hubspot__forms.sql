with

source as (
    {{ staged_rows('hubspot', 'form', ['guid']) }}
),

renamed as (
    select
        cast(guid as {{ dbt.type_string() }}) as form_id,
        name as form_name,
        {{ to_utc_timestamp('_fivetran_synced') }} as synced_at
    from source
)

select * from renamed
