with

source as (
    select * from {{ contract_source('salesforce', 'contact') }}
),

latest as (
    {{ latest_version('source', ['id']) }}
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
    from latest
    where not coalesce(is_deleted, false)
        -- a row without its key cannot be modelled (rule conservation counts it)
        and id is not null
)

select * from renamed
