with

source as (
    select * from {{ contract_source('hubspot', 'deal_contact') }}
),

latest as (
    {{ latest_version('source', ['deal_id', 'contact_id']) }}
),

renamed as (
    select
        cast(deal_id as {{ dbt.type_string() }}) as deal_id,
        cast(contact_id as {{ dbt.type_string() }}) as contact_id,
        {{ to_utc_timestamp('_fivetran_synced') }} as synced_at
    from latest
    -- a row without its key cannot be modelled (rule conservation counts it)
    where deal_id is not null and contact_id is not null
)

select * from renamed
