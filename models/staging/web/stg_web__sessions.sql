with

source as (
    {{ staged_rows('web', 'sessions', ['session_id']) }}
),

renamed as (
    select
        cast(session_id as {{ dbt.type_string() }}) as session_id,
        cast(anonymous_id as {{ dbt.type_string() }}) as anonymous_id,
        {{ normalize_email('email') }} as email,
        {{ to_utc_timestamp('started_at') }} as started_at,
        landing_page,
        referrer,
        {{ normalize_domain('referrer') }} as referrer_domain,
        nullif(lower(trim(utm_source)), '') as utm_source,
        nullif(lower(trim(utm_medium)), '') as utm_medium,
        nullif(trim(utm_campaign), '') as utm_campaign,
        nullif(trim(utm_content), '') as utm_content,
        nullif(trim(gclid), '') as gclid,
        {{ to_utc_timestamp('_fivetran_synced') }} as synced_at
    from source
)

select * from renamed
