{#-
    Rule 9 freshness: monitored tables whose latest sync (deleted rows included) is older than
    their allowed age at as_of; an empty table is stale, a table absent from the export is not
    monitored. Monitored tables and allowed ages: the `freshness.warn_after` of each source
    table (models/staging/*/_*__sources.yml), the one home that `dbt source freshness` reads
    too. That command measures against the wall clock; this rule measures against as_of, so a
    history rebuild or a replayed export is judged at its own date (which dbt source freshness
    cannot express: it has no notion of as_of).
-#}

{%- set monitored = [] -%}
{%- for system in ['salesforce', 'hubspot', 'ads', 'web'] -%}
{%- for table_name, hours in monitored_sources(system) -%}
{%- do monitored.append((system, table_name, hours)) -%}
{%- endfor -%}
{%- endfor %}

with

synced as (
    {% for system, table_name, hours in monitored -%}
    select
        '{{ system }}.{{ table_name }}' as source_table,
        max(_fivetran_synced) as synced_at,
        {{ hours }} as allowed_age_hours
    from {{ contract_source(system, table_name) }}
    having {{ source_exists(system, table_name) }}
    union all
    {% endfor -%}
    select
        cast(null as {{ dbt.type_string() }}) as source_table,
        cast(null as {{ dbt.type_timestamp() }}) as synced_at,
        cast(null as {{ dbt.type_int() }}) as allowed_age_hours
    where 1 = 0
)

select
    source_table,
    synced_at,
    allowed_age_hours
from synced
where
    synced_at is null
    or synced_at < {{ as_of_timestamp() }} - allowed_age_hours * interval '1 hour'
