{#-
    MetricFlow's time spine: one row per day (grain: date_day) over the span of
    int_calendar_bounds (the data's own range up to as_of plus the KPI horizon), without
    dim_date's unknown member (1900-01-01) that would leak into metric_time. Also the month and
    week spine of the KPI marts.
-#}
{{ config(materialized='table') }}

with

bounds as (
    select * from {{ ref('int_calendar_bounds') }}
),

days as (
    {{ date_spine_days(
        "(select first_date from bounds)",
        "(select last_date from bounds)",
        digits=5,
    ) }}
),

final as (
    select cast(date_day as date) as date_day
    from days
)

select * from final
