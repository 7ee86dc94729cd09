with

source as (
    select * from {{ contract_source('salesforce', 'opportunity_field_history') }}
),

latest as (
    {{ latest_version('source', ['id']) }}
),

renamed as (
    select
        cast(id as {{ dbt.type_string() }}) as opportunity_field_history_id,
        opportunity_id,
        field as field_name,
        old_value,
        new_value,
        {{ to_utc_timestamp('created_date') }} as changed_at,
        {{ to_utc_timestamp('_fivetran_synced') }} as synced_at
    from latest
    -- a row without its key cannot be modelled (rule conservation counts it)
    where id is not null
)

select * from renamed
