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
        {{- marts_typed_columns([
            ('channel', 'string'),
            ('channel_name', 'string'),
            ('channel_group', 'string'),
            ('is_marketing', 'boolean'),
            ('is_paid', 'boolean'),
            ('sort_order', 'int'),
        ]) }},
        channel = 'unknown' as is_unknown_member
    from channels
)

select * from final
