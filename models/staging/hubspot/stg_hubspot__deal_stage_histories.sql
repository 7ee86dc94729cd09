{#- Deal stage history: one row per deal per stage entered. -#}
with

source as (
    {{ staged_rows('hubspot', 'deal_stage', ['deal_id', 'value', 'date_entered']) }}
),

renamed as (
    select
        {{ surrogate_key(['deal_id', 'value', 'date_entered']) }} as deal_stage_history_id,
        cast(deal_id as {{ dbt.type_string() }}) as deal_id,
        cast(value as {{ dbt.type_string() }}) as pipeline_stage_id,
        {{ to_utc_timestamp('date_entered') }} as entered_at,
        {{ to_utc_timestamp('_fivetran_start') }} as valid_from,
        {{ to_utc_timestamp('_fivetran_end') }} as valid_to,
        {{ to_utc_timestamp('_fivetran_synced') }} as synced_at
    from source
)

select * from renamed
