with

source as (
    select * from {{ contract_source('hubspot', 'form') }}
),

latest as (
    {{ latest_version('source', ['guid']) }}
),

renamed as (
    select
        cast(guid as {{ dbt.type_string() }}) as form_id,
        name as form_name,
        {{ to_utc_timestamp('_fivetran_synced') }} as synced_at
    from latest
    -- a row without its key cannot be modelled (rule conservation counts it)
    where guid is not null
)

select * from renamed
