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
