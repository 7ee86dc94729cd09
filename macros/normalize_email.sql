{#- Trimmed, lower-cased email; empty strings become null so they never link two people. -#}
{% macro normalize_email(column) -%}
    nullif(lower(trim({{ column }})), '')
{%- endmacro %}

{#- The part after the last '@' of an already normalised email (null when there is none). -#}
{% macro email_domain(normalized_email) -%}
    case
        when {{ normalized_email }} like '%@%'
            then {{ normalize_domain(dbt.split_part(normalized_email, "'@'", 2)) }}
    end
{%- endmacro %}
