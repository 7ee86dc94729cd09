{#-
    The shared channel list (seed channels; grain: channel). Its unknown member is the channel
    'unknown' (events without channel information, e.g. funnel stage events); 'unmapped' holds
    raw values missing from channel_mapping.
-#}
with

channels as (
    select * from {{ ref('channels') }}
),

final as (
    select
        cast(channel as {{ dbt.type_string() }}) as channel,
        cast(channel_name as {{ dbt.type_string() }}) as channel_name,
        cast(channel_group as {{ dbt.type_string() }}) as channel_group,
        cast(is_marketing as {{ dbt.type_boolean() }}) as is_marketing,
        cast(is_paid as {{ dbt.type_boolean() }}) as is_paid,
        cast(sort_order as {{ dbt.type_int() }}) as sort_order,
        channel = 'unknown' as is_unknown_member
    from channels
)

select * from final
