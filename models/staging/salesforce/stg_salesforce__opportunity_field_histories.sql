with

source as (
    {{ staged_rows('salesforce', 'opportunity_field_history', ['id']) }}
),

renamed as (
    select
        cast(id as {{ dbt.type_string() }}) as opportunity_field_history_id,
        opportunity_id,
        field as field_name,
        old_value,
        new_value,
        {{ to_utc_timestamp('created_date') }} as changed_at,
        {{ to_utc_timestamp('_fivetran_synced') }} as synced_at
    from source
)

select * from renamed
