{#-
    The key a picklist or channel value is matched on: lower-cased, every run of characters
    other than a-z and 0-9 (spaces, hyphens, underscores, slashes, dots, parentheses) turned
    into one '_', no leading or trailing '_'. So 'Organic Search', 'organic-search',
    'ORGANIC_SEARCH' and ' organic  search ' are one value, '(direct)' is 'direct' and
    'Closed - Converted' is 'closed_converted'. Empty keys are null. The mapping seeds are keyed
    the same way (stg_reference__stage_mapping, stg_reference__channel_mapping), so a seed row
    written in any of these spellings matches them all.
-#}
{% macro picklist_key(expr) -%}
    nullif(trim(both '_' from {{ regexp_replace_all(
        'lower(trim(' ~ expr ~ '))', "'[^a-z0-9]+'", "'_'"
    ) }}), '')
{%- endmacro %}

{#- regexp_replace of every match (PostgreSQL and DuckDB need the 'g' flag; Spark replaces all). -#}
{% macro regexp_replace_all(expr, pattern, replacement) -%}
    {{ return(adapter.dispatch('regexp_replace_all', 'revops')(expr, pattern, replacement)) }}
{%- endmacro %}

{% macro default__regexp_replace_all(expr, pattern, replacement) -%}
    regexp_replace({{ expr }}, {{ pattern }}, {{ replacement }}, 'g')
{%- endmacro %}

{% macro spark__regexp_replace_all(expr, pattern, replacement) -%}
    regexp_replace({{ expr }}, {{ pattern }}, {{ replacement }})
{%- endmacro %}
