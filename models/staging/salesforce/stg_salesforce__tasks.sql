with

source as (
    select * from {{ contract_source('salesforce', 'task') }}
),

latest as (
    {{ latest_version('source', ['id']) }}
),

renamed as (
    select
        cast(id as {{ dbt.type_string() }}) as task_id,
        who_id,
        what_id,
        owner_id,
        type as task_type,
        subject,
        status as task_status,
        cast(activity_date as date) as activity_date,
        {{ to_utc_timestamp('created_date') }} as created_at,
        {{ to_utc_timestamp('_fivetran_synced') }} as synced_at
    from latest
    where not coalesce(is_deleted, false)
        -- a row without its key cannot be modelled (rule conservation counts it)
        and id is not null
)

select * from renamed
