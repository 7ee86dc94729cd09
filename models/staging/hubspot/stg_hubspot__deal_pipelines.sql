with

source as (
    select * from {{ contract_source('hubspot', 'deal_pipeline') }}
),

latest as (
    {{ latest_version('source', ['pipeline_id']) }}
),

renamed as (
    select
        cast(pipeline_id as {{ dbt.type_string() }}) as pipeline_id,
        label as pipeline_label,
        coalesce(is_active, false) as is_active,
        {{ to_utc_timestamp('_fivetran_synced') }} as synced_at
    from latest
    -- a row without its key cannot be modelled (rule conservation counts it)
    where pipeline_id is not null
)

select * from renamed
