with

source as (
    {{ staged_rows('hubspot', 'contact_form_submission', ['conversion_id']) }}
),

renamed as (
    select
        cast(conversion_id as {{ dbt.type_string() }}) as form_submission_id,
        cast(contact_id as {{ dbt.type_string() }}) as contact_id,
        cast(form_id as {{ dbt.type_string() }}) as form_id,
        page_url,
        {{ to_utc_timestamp('timestamp') }} as submitted_at,
        {{ to_utc_timestamp('_fivetran_synced') }} as synced_at
    from source
)

select * from renamed
