{#-
    Post-hook for incremental models: delete rows of {{ this }} whose key no longer comes out of
    the upstream (a source row soft-deleted, or a row that stopped qualifying), so an
    incremental run ends with exactly the rows a full refresh would build. keys_sql is a select
    of one column named key_value. No-op on full refreshes and first builds.
-#}
{% macro delete_vanished_rows(unique_key, keys_sql) -%}
    {%- if is_incremental() -%}
        delete from {{ this }}
        where not exists (
            select 1
            from ({{ keys_sql }}) as current_keys
            where current_keys.key_value = {{ this }}.{{ unique_key }}
        )
    {%- else -%}
        select 1
    {%- endif -%}
{%- endmacro %}
