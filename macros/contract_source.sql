{#-
    A raw contract table as staging (staged_rows) and the quality rules (live_tables) read it:
    `select * from {{ contract_source('salesforce', 'lead') }}` instead of `source(...)`. Real
    exports rarely hold every table and column of the contract (_<system>__sources.yml), and
    this is where that stops mattering:
      - the table exists with every contract column: the source relation itself;
      - the table exists but lacks contract columns: the relation plus a typed NULL for each
        missing column (its other columns, connector extras, pass through);
      - the table does not exist: an empty relation with every contract column, typed.
    So every staging model, and everything downstream, builds for any subset of the contract;
    the run summary (orchestration/ingest/coverage.py) says what was absent. Column types come
    from the contract's data_type (text, bigint, double, boolean, date, timestamp).
    At parse time it only registers the source dependency; in a unit test the source is the
    test's given rows (dbt substitutes them), used as they are.
-#}
{% macro contract_source(source_name, table_name) -%}
    {%- set relation = source(source_name, table_name) -%}
    {%- if not execute or model.resource_type == 'unit_test' or graph.get('sources') is none -%}
        {{- return(relation) -}}
    {%- endif -%}
    {%- set contract = contract_columns(source_name, table_name) -%}
    {%- set existing = adapter.get_relation(
        database=relation.database, schema=relation.schema, identifier=relation.identifier
    ) -%}
    {%- if existing is none -%}
        {%- set fills = [] -%}
        {%- for name, data_type in contract -%}
            {%- do fills.append('cast(null as ' ~ contract_sql_type(data_type) ~ ') as ' ~ name) -%}
        {%- endfor -%}
        {{- return('(select ' ~ fills | join(', ') ~ ' where 1 = 0) as absent_' ~ table_name) -}}
    {%- endif -%}
    {%- set present = [] -%}
    {%- for column in adapter.get_columns_in_relation(existing) -%}
        {%- do present.append(column.name | lower) -%}
    {%- endfor -%}
    {%- set fills = [] -%}
    {%- for name, data_type in contract if name | lower not in present -%}
        {%- do fills.append('cast(null as ' ~ contract_sql_type(data_type) ~ ') as ' ~ name) -%}
    {%- endfor -%}
    {%- if not fills -%}
        {{- return(existing) -}}
    {%- endif -%}
    {{- return(
        '(select *, ' ~ fills | join(', ') ~ ' from ' ~ existing ~ ') as filled_' ~ table_name
    ) -}}
{%- endmacro %}


{#- (name, data_type) of every column of a contract table, in contract order. -#}
{% macro contract_columns(source_name, table_name) -%}
    {%- set key = 'source.' ~ project_name ~ '.' ~ source_name ~ '.' ~ table_name -%}
    {%- set node = graph.sources.get(key) -%}
    {%- if node is none -%}
        {{ exceptions.raise_compiler_error(
            "contract_source: " ~ source_name ~ "." ~ table_name ~ " is not in the raw contract"
        ) }}
    {%- endif -%}
    {%- set columns = [] -%}
    {%- for name, column in node['columns'].items() -%}
        {%- do columns.append((name, (column['data_type'] or 'text') | lower)) -%}
    {%- endfor -%}
    {{- return(columns) -}}
{%- endmacro %}


{#- The SQL type of a contract data_type on the current adapter. -#}
{% macro contract_sql_type(data_type) -%}
    {%- set types = {
        'text': dbt.type_string(),
        'bigint': dbt.type_bigint(),
        'double': type_double(),
        'boolean': dbt.type_boolean(),
        'date': 'date',
        'timestamp': dbt.type_timestamp(),
    } -%}
    {%- if data_type not in types -%}
        {{ exceptions.raise_compiler_error(
            "contract_sql_type: unknown contract data_type '" ~ data_type ~ "'"
        ) }}
    {%- endif -%}
    {{- return(types[data_type]) -}}
{%- endmacro %}
