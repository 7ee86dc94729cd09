{#-
    A 64-bit float type. type_double() renders FLOAT, which DuckDB reads as a 32-bit REAL:
    money and durations would lose precision, so the project casts to this instead.
-#}
{% macro type_double() -%}
    {{ return(adapter.dispatch('type_double', 'revops')()) }}
{%- endmacro %}

{% macro default__type_double() -%}
    double precision
{%- endmacro %}

{% macro spark__type_double() -%}
    double
{%- endmacro %}
