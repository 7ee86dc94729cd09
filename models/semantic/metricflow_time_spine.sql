{#-
    MetricFlow's time spine: one row per day (grain: date_day), the days of int_calendar_days,
    without dim_date's unknown member (1900-01-01) that would leak into metric_time. Also the
    month and week spine of the KPI marts.
-#}
{{ config(materialized='table') }}

with

days as (
    select * from {{ ref('int_calendar_days') }}
),

final as (
    select date_day
    from days
)

select * from final
