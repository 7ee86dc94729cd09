{#-
    One row per day (grain: date_day) over the span of int_calendar_bounds (the data's own
    range up to as_of plus the KPI horizon): the days of int_calendar_days, plus the
    unknown member 1900-01-01 (is_unknown_member) for facts whose date is missing.
-#}
with

days as (
    select date_day from {{ ref('int_calendar_days') }}
),

spine as (
    select date_day from days
    where date_day != cast('1900-01-01' as date)
    union all
    select cast('1900-01-01' as date) as date_day
),

final as (
    select
        cast(date_day as date) as date_day,
        cast({{ dbt.date_trunc('week', 'date_day') }} as date) as week_start_date,
        cast({{ dbt.date_trunc('month', 'date_day') }} as date) as month_start_date,
        cast({{ dbt.date_trunc('quarter', 'date_day') }} as date) as quarter_start_date,
        cast({{ dbt.date_trunc('year', 'date_day') }} as date) as year_start_date,
        cast(extract(year from date_day) as {{ dbt.type_int() }}) as year_number,
        cast(extract(quarter from date_day) as {{ dbt.type_int() }}) as quarter_number,
        cast(extract(month from date_day) as {{ dbt.type_int() }}) as month_number,
        cast(extract(day from date_day) as {{ dbt.type_int() }}) as day_of_month,
        cast({{ iso_day_of_week('date_day') }} as {{ dbt.type_int() }}) as iso_day_of_week,
        {{ iso_day_of_week('date_day') }} in (6, 7) as is_weekend,
        date_day <= {{ as_of_date() }} as is_past,
        date_day = cast('1900-01-01' as date) as is_unknown_member
    from spine
)

select * from final
