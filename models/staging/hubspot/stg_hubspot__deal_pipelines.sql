with

source as (
    {{ staged_rows('hubspot', 'deal_pipeline', ['pipeline_id']) }}
),

renamed as (
    select
        cast(pipeline_id as {{ dbt.type_string() }}) as pipeline_id,
        label as pipeline_label,
        coalesce(is_active, false) as is_active,
        {{ to_utc_timestamp('_fivetran_synced') }} as synced_at
    from source
)

select * from renamed
