{#-
    Helpers of the quality rules (models/quality): whether a raw table is in the warehouse,
    and a relation that may be absent. Both are decided when the rule model is built (a view
    bakes them in), so `revops check` rebuilds the rule models it runs.
-#}

{#-
    true when the source table exists in the warehouse, else false (SQL literals): a rule part
    that needs a table the export lacks is skipped (`where {{ source_exists('salesforce',
    'account') }} and ...`), an absent table not being evidence of anything. At parse time (and
    in unit tests) every table counts as present.
-#}
{% macro source_exists(source_name, table_name) -%}
    {%- set relation = source(source_name, table_name) -%}
    {%- if not execute or model.resource_type == 'unit_test' -%}
        {{- return('true') -}}
    {%- endif -%}
    {%- set existing = adapter.get_relation(
        database=relation.database, schema=relation.schema, identifier=relation.identifier
    ) -%}
    {{- return('false' if existing is none else 'true') -}}
{%- endmacro %}


{#-
    The source tables whose freshness is monitored (a `freshness.warn_after` in the source
    YAML): {(source name, table name): warn_after in hours}. The same thresholds serve
    `dbt source freshness` (against the wall clock) and the freshness rule (against as_of).
    Empty at parse time (dbt builds the graph after parsing).
-#}
{% macro monitored_sources() -%}
    {%- set monitored = {} -%}
    {%- if execute -%}
        {%- for node in graph.sources.values() if node.package_name == project_name -%}
            {%- set warn_after = (node.freshness or {}).get('warn_after') or {} -%}
            {%- if warn_after.get('count') -%}
                {%- set hours = {'minute': 1 / 60, 'hour': 1, 'day': 24}[warn_after.get('period')] -%}
                {%- do monitored.update({
                    (node.source_name, node.name): warn_after.get('count') * hours
                }) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {{- return(monitored) -}}
{%- endmacro %}


{#-
    The import CTEs of a quality rule: the live rows (docs live_rows: without soft deletes) of
    each raw contract table named 'system.table', read through contract_source (an absent table
    is an empty one), in a CTE named system_table: `{{ live_tables(['salesforce.lead',
    'hubspot.contact']) }}` gives salesforce_lead and hubspot_contact. Written right after
    `with`, followed by a comma when more CTEs follow.
-#}
{% macro live_tables(tables) -%}
    {%- for table in tables -%}
        {%- set system, table_name = table.split('.') -%}
        {%- set deleted = soft_delete_column(system, table_name) %}
{{ system }}_{{ table_name }} as (
    select * from {{ contract_source(system, table_name) }}
    {%- if deleted %}
    where not coalesce({{ deleted }}, false)
    {%- endif %}
){{ ',' if not loop.last }}
    {% endfor -%}
{%- endmacro %}


{#-
    The soft-delete column of a raw contract table (docs live_rows): its is_deleted or
    _fivetran_deleted column, none for a table with neither (every row is live). Read from the
    contract (_<system>__sources.yml) when the model is built; none at parse time.
-#}
{% macro soft_delete_column(source_name, table_name) -%}
    {%- if execute and graph.get('sources') is not none -%}
        {%- for name, data_type in contract_columns(source_name, table_name)
            if name in ('is_deleted', '_fivetran_deleted') -%}
            {{- return(name) -}}
        {%- endfor -%}
    {%- endif -%}
    {{- return(none) -}}
{%- endmacro %}
