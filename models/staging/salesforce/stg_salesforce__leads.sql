with

source as (
    {{ staged_rows('salesforce', 'lead', ['id'], deleted='is_deleted') }}
),

renamed as (
    select
        cast(id as {{ dbt.type_string() }}) as lead_id,
        {{ normalize_email('email') }} as email,
        {{ email_domain(normalize_email('email')) }} as email_domain,
        first_name,
        last_name,
        company as company_name,
        title,
        status as lead_status,
        lead_source,
        owner_id,
        {{ to_utc_timestamp('created_date') }} as created_at,
        coalesce(is_converted, false) as is_converted,
        cast(converted_date as date) as converted_date,
        converted_account_id,
        converted_contact_id,
        converted_opportunity_id,
        {{ to_utc_timestamp('_fivetran_synced') }} as synced_at
    from source
)

select * from renamed
