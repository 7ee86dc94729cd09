{#- Fractional days from start to end (timestamps), portable through dbt.datediff in seconds. -#}
{% macro days_between(start_ts, end_ts) -%}
    ({{ dbt.datediff(start_ts, end_ts, 'second') }} / 86400.0)
{%- endmacro %}
