with

source as (
    {{ staged_rows('hubspot', 'company', ['id'], deleted='is_deleted') }}
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
    from source
)

select * from renamed
