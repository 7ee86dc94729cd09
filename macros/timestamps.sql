{#-
    Every timestamp downstream of staging is a naive timestamp in UTC. Raw columns are
    timezone-aware (timestamptz); converting with an explicit zone keeps the result independent
    of the session time zone of whoever runs dbt.
-#}
{% macro to_utc_timestamp(column) -%}
    {{ return(adapter.dispatch('to_utc_timestamp', 'revops')(column)) }}
{%- endmacro %}

{% macro default__to_utc_timestamp(column) -%}
    cast(({{ column }} at time zone 'UTC') as {{ dbt.type_timestamp() }})
{%- endmacro %}

{% macro spark__to_utc_timestamp(column) -%}
    cast({{ column }} as timestamp)
{%- endmacro %}

{#-
    "Now" for everything relative to the present (ages, SLA clocks, future checks): the dbt var
    as_of (REVOPS_AS_OF) when set, so history rebuilds reproducibly, else the current time (UTC).
-#}
{% macro as_of_timestamp() -%}
    {%- set as_of = var('as_of', '') | string | trim -%}
    {%- if as_of -%}
        {#- ISO 8601 in UTC ('2026-01-01T00:00:00Z' or '2026-01-01 00:00:00') -> naive UTC -#}
        {%- set as_of = as_of.replace('T', ' ') -%}
        {%- if as_of.endswith('Z') -%}{%- set as_of = as_of[:-1] -%}{%- endif -%}
        {%- if as_of.endswith('+00:00') -%}{%- set as_of = as_of[:-6] -%}{%- endif -%}
        cast('{{ as_of }}' as {{ dbt.type_timestamp() }})
    {%- else -%}
        {{ to_utc_timestamp('current_timestamp') }}
    {%- endif -%}
{%- endmacro %}

{#- The as_of day (date). -#}
{% macro as_of_date() -%}
    cast({{ as_of_timestamp() }} as date)
{%- endmacro %}

{#-
    The last instant of a calendar day in the company's time zone (var company_timezone, an
    IANA name, default UTC), as a naive UTC timestamp: the moment a deal known only by its
    close date was won, so that every touch of that local day lies before it.
-#}
{% macro end_of_local_day(date_expr) -%}
    {{ return(adapter.dispatch('end_of_local_day', 'revops')(date_expr)) }}
{%- endmacro %}

{% macro default__end_of_local_day(date_expr) -%}
    {%- set tz = var('company_timezone', 'UTC') -%}
    {{ dbt.dateadd(
        'microsecond',
        -1,
        "cast(((cast(" ~ dbt.dateadd('day', 1, 'cast(' ~ date_expr ~ ' as date)') ~ " as "
        ~ dbt.type_timestamp() ~ ") at time zone '" ~ tz ~ "') at time zone 'UTC') as "
        ~ dbt.type_timestamp() ~ ")"
    ) }}
{%- endmacro %}

{% macro spark__end_of_local_day(date_expr) -%}
    {%- set tz = var('company_timezone', 'UTC') -%}
    to_utc_timestamp(
        cast(date_add(cast({{ date_expr }} as date), 1) as timestamp), '{{ tz }}'
    ) - interval 1 microsecond
{%- endmacro %}
