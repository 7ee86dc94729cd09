{#-
    The span every calendar of the warehouse covers (dim_date, the MetricFlow time spine and
    the KPI marts' month and week spines), one row: from the earliest date met in the data (or
    as_of, whichever is earlier) to as_of plus `calendar_horizon_days` (the KPI horizon: open
    pipeline closing up to two years ahead), or the latest date met if later. A company whose
    history starts in 2012, or whose expected close dates lie years ahead, gets a calendar that
    holds them; nothing is hard-coded. Dates more than `calendar_max_years_back` years before or
    `calendar_max_years_ahead` after as_of are treated as typos and do not stretch the calendar.
-#}
{%- set dated = [
    ('stg_salesforce__accounts', 'created_at'),
    ('stg_salesforce__leads', 'created_at'),
    ('stg_salesforce__contacts', 'created_at'),
    ('stg_salesforce__opportunities', 'created_at'),
    ('stg_salesforce__opportunities', 'close_date'),
    ('stg_salesforce__opportunity_field_histories', 'changed_at'),
    ('stg_salesforce__opportunity_histories', 'recorded_at'),
    ('stg_salesforce__tasks', 'created_at'),
    ('stg_salesforce__tasks', 'activity_date'),
    ('stg_hubspot__contacts', 'created_at'),
    ('stg_hubspot__contacts', 'became_lead_at'),
    ('stg_hubspot__contacts', 'became_mql_at'),
    ('stg_hubspot__deals', 'created_at'),
    ('stg_hubspot__deals', 'closed_at'),
    ('stg_hubspot__email_events', 'occurred_at'),
    ('stg_hubspot__contact_form_submissions', 'submitted_at'),
    ('stg_web__sessions', 'started_at'),
    ('stg_ads__ad_stats', 'date_day'),
] -%}
{%- set horizon_days = var('calendar_horizon_days', 730) -%}
{%- set max_back = var('calendar_max_years_back', 150) -%}
{%- set max_ahead = var('calendar_max_years_ahead', 100) -%}

with

{% for model, column in dated -%}
{{ model }}__{{ column }} as (
    select
        min(cast({{ column }} as date)) as first_date,
        max(cast({{ column }} as date)) as last_date
    from {{ ref(model) }}
    where
        cast({{ column }} as date)
        >= cast({{ dbt.dateadd('year', -1 * max_back, as_of_date()) }} as date)
        and cast({{ column }} as date)
        <= cast({{ dbt.dateadd('year', max_ahead, as_of_date()) }} as date)
),

{% endfor -%}
data_range as (
    {% for model, column in dated -%}
    select
        first_date,
        last_date
    from {{ model }}__{{ column }}
    {% if not loop.last %}union all
    {% endif -%}
    {%- endfor %}
),

final as (
    select
        cast(least(
            coalesce(min(first_date), {{ as_of_date() }}), {{ as_of_date() }}
        ) as date) as first_date,
        cast(greatest(
            coalesce(max(last_date), {{ as_of_date() }}),
            cast({{ dbt.dateadd('day', horizon_days, as_of_date()) }} as date)
        ) as date) as last_date
    from data_range
)

select * from final
