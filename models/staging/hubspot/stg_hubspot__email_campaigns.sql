with

source as (
    select * from {{ contract_source('hubspot', 'email_campaign') }}
),

latest as (
    {{ latest_version('source', ['id']) }}
),

renamed as (
    select
        cast(id as {{ dbt.type_string() }}) as email_campaign_id,
        name as email_campaign_name,
        subject,
        type as email_campaign_type,
        {{ to_utc_timestamp('_fivetran_synced') }} as synced_at
    from latest
    -- a row without its key cannot be modelled (rule conservation counts it)
    where id is not null
)

select * from renamed
