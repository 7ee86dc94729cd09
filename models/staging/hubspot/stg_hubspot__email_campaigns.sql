with

source as (
    {{ staged_rows('hubspot', 'email_campaign', ['id']) }}
),

renamed as (
    select
        cast(id as {{ dbt.type_string() }}) as email_campaign_id,
        name as email_campaign_name,
        subject,
        type as email_campaign_type,
        {{ to_utc_timestamp('_fivetran_synced') }} as synced_at
    from source
)

select * from renamed
