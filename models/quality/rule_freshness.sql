{#-
    Rule 9 freshness: monitored tables whose latest sync (deleted rows included) is older than
    their allowed age at as_of; an empty table is stale, a table absent from the export is not
    monitored. The monitored tables are the sources declaring `freshness.warn_after`
    (models/staging/*/_*__sources.yml), which is their allowed age: the one home that
    `dbt source freshness` reads too. That command measures against the wall clock; this rule measures against as_of, so a
    history rebuild or a replayed export is judged at its own date (which dbt source freshness
    cannot express: it has no notion of as_of).
-#}

{#-
    The monitored tables, listed because dbt resolves a model's sources while parsing, before
    the graph (and so the sources' freshness blocks) exists. The build fails when this list and
    the sources declaring freshness.warn_after disagree; the ages come from the sources only.
-#}
{%- set tables = [
    ('salesforce', 'account'),
    ('salesforce', 'contact'),
    ('salesforce', 'lead'),
    ('salesforce', 'opportunity'),
    ('salesforce', 'task'),
    ('salesforce', 'user'),
    ('hubspot', 'contact'),
    ('hubspot', 'company'),
    ('hubspot', 'deal'),
    ('hubspot', 'email_event'),
    ('hubspot', 'owner'),
    ('ads', 'ad_stats'),
    ('web', 'sessions'),
] -%}
{%- set ages = monitored_sources() -%}
{%- if execute and ages.keys() | sort | list != tables | sort | list -%}
    {{ exceptions.raise_compiler_error(
        "rule_freshness: its tables " ~ (tables | sort | list)
        ~ " differ from the sources with freshness.warn_after " ~ (ages.keys() | sort | list)
    ) }}
{%- endif %}

with

synced as (
    {% for system, table_name in tables -%}
    select
        '{{ system }}.{{ table_name }}' as source_table,
        max(_fivetran_synced) as synced_at,
        {{ ages.get((system, table_name), 0) }} as allowed_age_hours
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
