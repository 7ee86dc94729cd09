with

source as (
    {{ staged_rows('salesforce', 'task', ['id'], deleted='is_deleted') }}
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
    from source
)

select * from renamed
