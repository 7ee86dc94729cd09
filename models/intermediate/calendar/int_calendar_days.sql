{#-
    The calendar's days: one row per day (grain: date_day) over the span of int_calendar_bounds
    (the data's own range up to as_of plus the KPI horizon). The one home of the span's days:
    metricflow_time_spine (and through it the KPI marts' month and week spines) and dim_date
    read them.
-#}
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
