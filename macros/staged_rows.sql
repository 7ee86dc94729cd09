{#-
    The rows of a raw contract table that its staging model keeps (docs: live_rows,
    primary_keys): read through contract_source (any subset of the contract builds), reduced to
    the latest version of each key (latest_version), without soft deletes (deleted: the table's
    deletion flag, none for a table without one; the build fails when it is not the contract's,
    soft_delete_column) and without rows whose key is empty (they cannot be modelled: rule
    conservation counts them). The staging model renames and casts `from` the CTE holding these
    rows:

        source as (
            {{ staged_rows('salesforce', 'lead', ['id'], deleted='is_deleted') }}
        ),
-#}
{% macro staged_rows(source_name, table_name, key_columns, deleted=none) -%}
    {%- if execute and graph.get('sources') is not none
        and deleted != soft_delete_column(source_name, table_name) -%}
        {{ exceptions.raise_compiler_error(
            "staged_rows: " ~ source_name ~ "." ~ table_name ~ " is given soft-delete column "
            ~ deleted ~ ", its contract has " ~ soft_delete_column(source_name, table_name)
        ) }}
    {%- endif %}
    select *
    from (
        {{ latest_version(contract_source(source_name, table_name), key_columns) }}
    ) as latest
    where
        {%- if deleted %}
        not coalesce({{ deleted }}, false) and
        {%- endif %}
        {{ key_columns | join(' is not null and ') }} is not null
{%- endmacro %}
