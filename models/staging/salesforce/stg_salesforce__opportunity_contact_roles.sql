with

source as (
    {{ staged_rows('salesforce', 'opportunity_contact_role', ['id'], deleted='is_deleted') }}
),

renamed as (
    select
        cast(id as {{ dbt.type_string() }}) as opportunity_contact_role_id,
        opportunity_id,
        contact_id,
        role as contact_role,
        coalesce(is_primary, false) as is_primary,
        {{ to_utc_timestamp('_fivetran_synced') }} as synced_at
    from source
)

select * from renamed
