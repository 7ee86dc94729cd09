{#-
    MetricFlow's time spine: one row per day (grain: date_day) from 2015-01-01 to two years
    after as_of, without dim_date's unknown member (1900-01-01) that would leak into
    metric_time. Also the month spine of the KPI marts.
-#}
{{ config(materialized='table') }}

with

days as (
    {{ date_spine_days(
        "cast('2015-01-01' as date)",
        dbt.dateadd('day', 730, as_of_date()),
    ) }}
),

final as (
    select cast(date_day as date) as date_day
    from days
)

select * from final
