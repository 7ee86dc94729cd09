{#-
    Rows of a raw relation (or CTE) reduced to the latest version of each key by
    _fivetran_synced. Connector schemas may keep history; the loader merges on the key, so this
    is usually a no-op, but staging must not depend on that. Portable: a row_number() subquery,
    no QUALIFY / DISTINCT ON.
-#}
{% macro latest_version(relation, key_columns, order_by='_fivetran_synced desc') -%}
    select *
    from (
        select
            *,
            row_number() over (
                partition by {{ key_columns | join(', ') }}
                order by {{ order_by }}
            ) as revops_version_rank
        from {{ relation }}
    ) as versions
    where revops_version_rank = 1
{%- endmacro %}
