{#-
    Join condition and amount expression for converting a local amount to USD with the rate of
    the latest rate_date on or before the conversion date (stg_reference__exchange_rates holds
    validity ranges). Staging joins this one seed-based model and nothing else.
-#}
{% macro exchange_rate_join(rates_alias, currency_expr, date_expr) -%}
    {{ rates_alias }}.currency_code = {{ currency_expr }}
    and {{ date_expr }} >= {{ rates_alias }}.valid_from
    and ({{ rates_alias }}.valid_to is null or {{ date_expr }} < {{ rates_alias }}.valid_to)
{%- endmacro %}
