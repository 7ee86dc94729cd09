{#-
    A deterministic, portable surrogate key: md5 over the '-'-joined text casts of the fields,
    nulls replaced by a sentinel so (null, 'a') and ('a', null) differ. Same inputs give the
    same key on DuckDB, PostgreSQL and Spark (dbt.hash is md5 on all three).
-#}
{% macro surrogate_key(fields) -%}
    {%- set parts = [] -%}
    {%- for field in fields -%}
        {%- do parts.append(
            "coalesce(cast(" ~ field ~ " as " ~ dbt.type_string() ~ "), '_revops_null_')"
        ) -%}
        {%- if not loop.last -%}{%- do parts.append("'-'") -%}{%- endif -%}
    {%- endfor -%}
    {{ dbt.hash(dbt.concat(parts)) }}
{%- endmacro %}
