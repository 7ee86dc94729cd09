with

source as (
    {{ staged_rows('salesforce', 'contact', ['id'], deleted='is_deleted') }}
),

renamed as (
    select
        cast(id as {{ dbt.type_string() }}) as contact_id,
        account_id,
        {{ normalize_email('email') }} as email,
        {{ email_domain(normalize_email('email')) }} as email_domain,
        first_name,
        last_name,
        title,
        lead_source,
        owner_id,
        {{ to_utc_timestamp('created_date') }} as created_at,
        {{ to_utc_timestamp('_fivetran_synced') }} as synced_at
    from source
)

select * from renamed
