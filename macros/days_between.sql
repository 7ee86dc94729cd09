{#- Fractional days from start to end (timestamps), portable through dbt.datediff in seconds. -#}
{% macro days_between(start_ts, end_ts) -%}
    {{ return(adapter.dispatch('days_between', 'revops')(start_ts, end_ts)) }}
{%- endmacro %}

{#- DuckDB: a double; PostgreSQL: numeric. -#}
{% macro default__days_between(start_ts, end_ts) -%}
    ({{ dbt.datediff(start_ts, end_ts, 'second') }} / 86400.0)
{%- endmacro %}

{#- Spark divides a bigint by the decimal 86400.0 as a decimal of 7 places (9.5164352 where
    DuckDB has 9.516435185185186): divide a double, as DuckDB does. -#}
{% macro spark__days_between(start_ts, end_ts) -%}
    (cast({{ dbt.datediff(start_ts, end_ts, 'second') }} as {{ type_double() }}) / 86400.0)
{%- endmacro %}
