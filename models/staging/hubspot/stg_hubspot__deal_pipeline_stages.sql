with

source as (
    select * from {{ contract_source('hubspot', 'deal_pipeline_stage') }}
),

latest as (
    {{ latest_version('source', ['stage_id']) }}
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
    from latest
    -- a row without its key cannot be modelled (rule conservation counts it)
    where stage_id is not null
)

select * from renamed
