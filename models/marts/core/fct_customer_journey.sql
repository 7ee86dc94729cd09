{#-
    The customer journey: one row per person per event (touches and funnel stage events),
    grain journey_event_id. Foreign keys default to the dimensions' unknown members ('-1';
    channel 'unknown') so no row is lost in joins. event_sequence numbers a person's events
    in time order (ties: funnel order of event types, then id); null for the unknown person.
    Incremental (delete+insert on journey_event_id): every event of each person touched by the
    run (a new or late row within lookback_days, a changed row, an event that moved between
    people after an identity merge or changed type, channel, campaign or time, e.g. after an
    edit of the channel_mapping seed, or an event that vanished upstream) is rebuilt, so
    sequences stay exact; vanished events are deleted by the post-hook. A partition window
    (vars min_date / max_date: ISO dates, start inclusive, end exclusive; the Dagster schedule
    and backfills pass them) also rebuilds every event that occurred in it, so a backfill
    re-derives its days even where nothing was re-synced.
    Spark (Parquet tables: no MERGE, no DELETE): a table rebuilt from all rows every run
    (docs/spark.md); insert_overwrite would need a day partition of its own.
-#}
{%- set window_start = var('min_date', none) -%}
{%- set window_end = var('max_date', none) -%}
{{
    config(
        materialized='table' if target.type == 'spark' else 'incremental',
        unique_key='journey_event_id',
        incremental_strategy='delete+insert',
        on_schema_change='fail',
        post_hook=[
            "{{ delete_vanished_rows('journey_event_id', 'select touchpoint_id as key_value from ' ~ ref('int_touchpoints_unioned') ~ ' union all select funnel_event_id as key_value from ' ~ ref('int_funnel_events')) }}"
        ],
    )
}}

with

touchpoints as (
    select * from {{ ref('int_touchpoints_unioned') }}
),

funnel_events as (
    select * from {{ ref('int_funnel_events') }}
),

unioned as (
    select
        touchpoint_id as journey_event_id,
        person_id,
        account_id,
        touchpoint_type as event_type,
        occurred_at,
        channel,
        campaign_id,
        source_system,
        cast(null as {{ dbt.type_string() }}) as opportunity_id,
        cast(null as {{ dbt.type_string() }}) as stage_name,
        cast(null as {{ type_double() }}) as amount_usd,
        synced_at
    from touchpoints

    union all

    select
        funnel_event_id as journey_event_id,
        person_id,
        account_id,
        event_type,
        occurred_at,
        cast(null as {{ dbt.type_string() }}) as channel,
        campaign_id,
        source_system,
        opportunity_id,
        stage_name,
        amount_usd,
        synced_at
    from funnel_events
),

events as (
    select
        journey_event_id,
        coalesce(person_id, '-1') as person_id,
        coalesce(account_id, '-1') as account_id,
        event_type,
        occurred_at,
        coalesce(channel, 'unknown') as channel,
        coalesce(campaign_id, '-1') as campaign_id,
        source_system,
        opportunity_id,
        stage_name,
        amount_usd,
        {{ event_type_order('event_type') }} as event_type_order,
        synced_at
    from unioned
    where occurred_at is not null
),

{% if is_incremental() %}
changed_events as (
    select
        events.journey_event_id,
        events.person_id
    from events
    where
        events.synced_at >= (
            select {{ dbt.dateadd('day', -1 * var('lookback_days', 3), 'max(synced_at)') }}
            from {{ this }}
        )
        {%- if window_start and window_end %}
        or (
            events.occurred_at >= cast('{{ window_start }}' as {{ dbt.type_timestamp() }})
            and events.occurred_at < cast('{{ window_end }}' as {{ dbt.type_timestamp() }})
        )
        {%- endif %}
        or not exists (
            select 1
            from {{ this }} as existing
            where
                existing.journey_event_id = events.journey_event_id
                and existing.person_id = events.person_id
                and existing.account_id = events.account_id
                and existing.event_type = events.event_type
                and existing.channel = events.channel
                and existing.campaign_id = events.campaign_id
                and existing.occurred_at = events.occurred_at
        )
),

affected_people as (
    select person_id from changed_events
    union
    -- the former person of an event that moved after an identity merge
    select existing.person_id
    from {{ this }} as existing
    inner join changed_events
        on existing.journey_event_id = changed_events.journey_event_id
    union
    -- people who lost an event (deleted upstream): their sequence is renumbered
    select existing.person_id
    from {{ this }} as existing
    left join events
        on existing.journey_event_id = events.journey_event_id
    where events.journey_event_id is null
),

selected_events as (
    select events.*
    from events
    where
        events.person_id in (
            select affected_people.person_id from affected_people
            where affected_people.person_id != '-1'
        )
        or events.journey_event_id in (
            select changed_events.journey_event_id from changed_events
        )
),
{% else %}
selected_events as (
    select * from events
),
{% endif %}

sequenced as (
    select
        selected_events.*,
        row_number() over (
            partition by selected_events.person_id
            order by
                selected_events.occurred_at,
                selected_events.event_type_order,
                selected_events.journey_event_id
        ) as person_event_number
    from selected_events
),

numbered as (
    select
        *,
        cast(occurred_at as date) as occurred_on,
        case when person_id != '-1' then person_event_number end as event_sequence
    from sequenced
),

final as (
    select
        {{- marts_typed_columns([
            ('journey_event_id', 'string'),
            ('person_id', 'string'),
            ('account_id', 'string'),
            ('event_type', 'string'),
            ('occurred_at', 'timestamp'),
            ('occurred_on', 'date'),
            ('channel', 'string'),
            ('campaign_id', 'string'),
            ('source_system', 'string'),
            ('opportunity_id', 'string'),
            ('stage_name', 'string'),
            ('amount_usd', 'double'),
            ('event_sequence', 'bigint'),
            ('synced_at', 'timestamp'),
        ]) }}
    from numbered
)

select * from final
