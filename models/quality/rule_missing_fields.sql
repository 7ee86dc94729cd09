{#-
    Rule 14 missing_fields: live records that lack a field the marts rely on. They are kept
    with a documented fallback, never dropped (severity policy: a row-level finding):
      salesforce.opportunity created_date (created_at estimated: its first stage change, else
        the start of its close day, else its first sync) and close_date (no win/loss day);
      salesforce.lead created_date and email, salesforce.contact email, hubspot.contact
        property_createdate and property_email (a person without email links through ids only).
    A date field holding a date the calendars leave out as a typo (more than
    calendar_max_years_back years before or calendar_max_years_ahead after as_of, e.g.
    0001-01-01: int_calendar_bounds) is as unusable as a missing one and is reported the same
    way, with its value.
    One row per (record, field).
-#}

{#- (system, table, field, whether the field is an email) -#}
{%- set fields = [
    ('salesforce', 'opportunity', 'created_date', false),
    ('salesforce', 'opportunity', 'close_date', false),
    ('salesforce', 'lead', 'created_date', false),
    ('salesforce', 'lead', 'email', true),
    ('salesforce', 'contact', 'email', true),
    ('hubspot', 'contact', 'property_createdate', false),
    ('hubspot', 'contact', 'property_email', true),
] %}

{%- set max_back = var('calendar_max_years_back', 150) -%}
{%- set max_ahead = var('calendar_max_years_ahead', 100) -%}

with

{{ live_tables([
    'salesforce.opportunity', 'salesforce.lead', 'salesforce.contact', 'hubspot.contact',
]) }},

missing as (
    {% for system, table_name, field, is_email in fields -%}
    select
        '{{ system }}.{{ table_name }}' as record_type,
        cast(id as {{ dbt.type_string() }}) as record_id,
        '{{ field }}' as field,
        'missing ' || '{{ field }}' as finding
    from {{ system }}_{{ table_name }}
    where {{ normalize_email(field) if is_email else field }} is null
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

outside_calendar as (
    {% for system, table_name, field, is_email in fields if not is_email -%}
    select
        '{{ system }}.{{ table_name }}' as record_type,
        cast(id as {{ dbt.type_string() }}) as record_id,
        '{{ field }}' as field,
        '{{ field }} '
        || cast(cast({{ field }} as date) as {{ dbt.type_string() }})
        || ' is outside the calendar (a typo?)' as finding
    from {{ system }}_{{ table_name }}
    where
        cast({{ field }} as date)
        < cast({{ dbt.dateadd('year', -1 * max_back, as_of_date()) }} as date)
        or cast({{ field }} as date)
        > cast({{ dbt.dateadd('year', max_ahead, as_of_date()) }} as date)
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
)

select
    record_type,
    record_id,
    field,
    finding
from missing
union all
select
    record_type,
    record_id,
    field,
    finding
from outside_calendar
