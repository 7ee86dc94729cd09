with

source as (
    select * from {{ contract_source('hubspot', 'owner') }}
),

latest as (
    {{ latest_version('source', ['owner_id']) }}
),

renamed as (
    select
        cast(owner_id as {{ dbt.type_string() }}) as owner_id,
        {{ normalize_email('email') }} as email,
        first_name,
        last_name,
        coalesce(is_active, false) as is_active,
        {{ to_utc_timestamp('_fivetran_synced') }} as synced_at
    from latest
    -- a row without its key cannot be modelled (rule conservation counts it)
    where owner_id is not null
)

select * from renamed
