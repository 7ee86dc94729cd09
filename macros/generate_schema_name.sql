{#-
    Schemas carry exactly the names of the design on every target (raw_salesforce, staging,
    intermediate, marts, ...): a model's custom schema is used as-is instead of dbt's default
    "<target schema>_<custom schema>" prefixing, so BI grants and docs name stable schemas.
-#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema | trim }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
