with

source as (
    {{ staged_rows('salesforce', 'opportunity_history', ['id'], deleted='is_deleted') }}
),

renamed as (
    select
        cast(id as {{ dbt.type_string() }}) as opportunity_history_id,
        opportunity_id,
        stage_name,
        {{ to_utc_timestamp('created_date') }} as recorded_at,
        {{ to_utc_timestamp('_fivetran_synced') }} as synced_at
    from source
)

select * from renamed
