with

source as (
    select * from {{ contract_source('hubspot', 'company') }}
),

latest as (
    {{ latest_version('source', ['id']) }}
),

renamed as (
    select
        cast(id as {{ dbt.type_string() }}) as company_id,
        property_name as company_name,
        property_domain as raw_domain,
        {{ normalize_domain('property_domain') }} as domain,
        property_industry as industry,
        lower(trim(property_lifecyclestage)) as lifecycle_stage,
        {{ to_utc_timestamp('_fivetran_synced') }} as synced_at
    from latest
    where not coalesce(is_deleted, false)
        -- a row without its key cannot be modelled (rule conservation counts it)
        and id is not null
)

select * from renamed
