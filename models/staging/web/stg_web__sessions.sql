with

source as (
    select * from {{ contract_source('web', 'sessions') }}
),

latest as (
    {{ latest_version('source', ['session_id']) }}
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
    from latest
    -- a session without its key cannot be tracked (the loader quarantines such rows)
    where session_id is not null
)

select * from renamed
