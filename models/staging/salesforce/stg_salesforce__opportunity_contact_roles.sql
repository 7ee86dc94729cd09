with

source as (
    select * from {{ contract_source('salesforce', 'opportunity_contact_role') }}
),

latest as (
    {{ latest_version('source', ['id']) }}
),

renamed as (
    select
        cast(id as {{ dbt.type_string() }}) as opportunity_contact_role_id,
        opportunity_id,
        contact_id,
        role as contact_role,
        coalesce(is_primary, false) as is_primary,
        {{ to_utc_timestamp('_fivetran_synced') }} as synced_at
    from latest
    -- a row without its key cannot be modelled (rule conservation counts it)
    where id is not null
)

select * from renamed
