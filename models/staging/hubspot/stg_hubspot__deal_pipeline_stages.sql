with

source as (
    {{ staged_rows('hubspot', 'deal_pipeline_stage', ['stage_id']) }}
),

renamed as (
    select
        cast(stage_id as {{ dbt.type_string() }}) as pipeline_stage_id,
        pipeline_id,
        label as stage_label,
        cast(probability as {{ type_double() }}) as probability,
        coalesce(is_closed, false) as is_closed,
        cast(display_order as {{ dbt.type_bigint() }}) as display_order,
        {{ to_utc_timestamp('_fivetran_synced') }} as synced_at
    from source
)

select * from renamed
