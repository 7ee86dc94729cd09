{#-
    A bare, lower-cased host name from a web site, URL or domain: the scheme, a leading 'www.',
    any path, query, fragment or port are stripped ('https://WWW.Acme.com/about' -> 'acme.com').
    The patterns are anchored and use no backslashes, so regexp_replace behaves the same on
    DuckDB, PostgreSQL (first match only) and Spark (all matches).
-#}
{% macro normalize_domain(column) -%}
    nullif(
        regexp_replace(
            regexp_replace(
                regexp_replace(lower(trim({{ column }})), '^[a-z][a-z0-9+.-]*://', ''),
                '^www[.]', ''
            ),
            '[/?#:].*$', ''
        ),
        ''
    )
{%- endmacro %}

{#-
    The value of one query-string parameter of a URL (null when absent), e.g.
    url_parameter('page_url', 'utm_source'). Portable: split_part only.
-#}
{% macro url_parameter(url, parameter) -%}
    nullif(
        {{ dbt.split_part(
            dbt.split_part(
                dbt.split_part(url, "'#'", 1),
                "'" ~ parameter ~ "='", 2
            ),
            "'&'", 1
        ) }},
        ''
    )
{%- endmacro %}

{#-
    split_part with a column (not a literal) as the position: dbt.split_part needs a literal
    on PostgreSQL (it checks for negative positions at compile time). split_part(text, text,
    int) is native on DuckDB, PostgreSQL and Spark >= 3.3.
-#}
{% macro split_part_at(string_expr, delimiter_literal, position_expr) -%}
    split_part({{ string_expr }}, {{ delimiter_literal }}, {{ position_expr }})
{%- endmacro %}
