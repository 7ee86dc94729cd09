-- No event is lost on the way to the journey mart: every touchpoint and every funnel event
-- (with a time) is a row of fct_customer_journey, and nothing else is. Returns the
-- mismatching event types with both counts.
-- Shown in Dagster as an asset check on the model it guards (dagster-dbt reads meta.dagster.ref).
{{ config(meta={'dagster': {'ref': {'name': 'fct_customer_journey'}}}) }}

with

expected as (
    select
        touchpoint_type as event_type,
        count(*) as expected_count
    from {{ ref('int_touchpoints_unioned') }}
    where occurred_at is not null
    group by touchpoint_type

    union all

    select
        event_type,
        count(*) as expected_count
    from {{ ref('int_funnel_events') }}
    where occurred_at is not null
    group by event_type
),

actual as (
    select
        event_type,
        count(*) as actual_count
    from {{ ref('fct_customer_journey') }}
    group by event_type
)

select
    coalesce(expected.event_type, actual.event_type) as event_type,
    expected.expected_count,
    actual.actual_count
from expected
full outer join actual
    on expected.event_type = actual.event_type
where coalesce(expected.expected_count, -1) != coalesce(actual.actual_count, -1)
