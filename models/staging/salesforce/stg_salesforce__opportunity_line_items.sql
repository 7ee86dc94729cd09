with

source as (
    {{ staged_rows('salesforce', 'opportunity_line_item', ['id'], deleted='is_deleted') }}
),

renamed as (
    select
        cast(id as {{ dbt.type_string() }}) as opportunity_line_item_id,
        opportunity_id,
        product_2_id as product_id,
        cast(quantity as {{ type_double() }}) as quantity,
        cast(unit_price as {{ type_double() }}) as unit_price,
        cast(total_price as {{ type_double() }}) as total_price,
        {{ to_utc_timestamp('_fivetran_synced') }} as synced_at
    from source
)

select * from renamed
