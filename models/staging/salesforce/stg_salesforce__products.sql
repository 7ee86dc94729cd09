with

source as (
    select * from {{ contract_source('salesforce', 'product_2') }}
),

latest as (
    {{ latest_version('source', ['id']) }}
),

renamed as (
    select
        cast(id as {{ dbt.type_string() }}) as product_id,
        name as product_name,
        family as product_family,
        coalesce(is_active, false) as is_active,
        {{ to_utc_timestamp('_fivetran_synced') }} as synced_at
    from latest
    -- a row without its key cannot be modelled (rule conservation counts it)
    where id is not null
)

select * from renamed
