with

source as (
    {{ staged_rows('hubspot', 'email_event', ['id']) }}
),

renamed as (
    select
        cast(id as {{ dbt.type_string() }}) as email_event_id,
        cast(email_campaign_id as {{ dbt.type_string() }}) as email_campaign_id,
        {{ normalize_email('recipient') }} as recipient_email,
        upper(trim(type)) as email_event_type,
        {{ to_utc_timestamp('created') }} as occurred_at,
        {{ to_utc_timestamp('_fivetran_synced') }} as synced_at
    from source
)

select * from renamed
