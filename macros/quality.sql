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
    The import CTEs of a quality rule: one per raw contract table named 'system.table', read
    through contract_source (an absent table is an empty one) and named system_table
    (`{{ raw_tables(['salesforce.lead', 'hubspot.contact']) }}` gives the CTEs salesforce_lead
    and hubspot_contact, every raw row: each rule says which rows are live for it). Written
    right after `with`, followed by a comma when more CTEs follow.
-#}
{% macro raw_tables(tables) -%}
    {%- for table in tables -%}
        {%- set system, table_name = table.split('.') %}
{{ system }}_{{ table_name }} as (
    select * from {{ contract_source(system, table_name) }}
){{ ',' if not loop.last }}
    {% endfor -%}
{%- endmacro %}
