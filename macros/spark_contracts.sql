{#-
    Model contracts on Spark. The marts' YAML declares PostgreSQL/DuckDB type names (text,
    double precision, integer); dbt checks a contract by casting NULL to each declared type,
    and Spark knows these types as string, double and int. Only the check's empty-schema query
    is translated here: the declared types stay one set for every target, and a column whose
    SQL type differs from its declaration still fails the contract on Spark.
-#}
{% macro revops_spark_type(data_type) -%}
    {%- set normalized = (data_type or '') | trim | lower -%}
    {%- set aliases = {
        'text': 'string',
        'double precision': 'double',
        'integer': 'int',
        'timestamp without time zone': 'timestamp',
    } -%}
    {{- return(aliases.get(normalized, data_type)) -}}
{%- endmacro %}

{% macro spark__get_empty_schema_sql(columns) -%}
    {%- set translated = {} -%}
    {%- for name in columns -%}
        {%- set column = {} -%}
        {%- do column.update(columns[name]) -%}
        {%- if column.get('data_type') is not none -%}
            {%- do column.update({'data_type': revops_spark_type(column['data_type'])}) -%}
        {%- endif -%}
        {%- do translated.update({name: column}) -%}
    {%- endfor -%}
    {{ return(dbt.default__get_empty_schema_sql(translated)) }}
{%- endmacro %}

{#- on-run-start: on Spark, say what is skipped and why (docs/spark.md). -#}
{% macro revops_spark_notice() -%}
    {%- if execute and target.type == 'spark' and not var('spark_snapshots', false) -%}
        {%- do log(
            "Spark: snapshots are skipped (they need MERGE, i.e. a Delta or Iceberg table "
            ~ "format; plain Parquet tables have none). On Databricks or a cluster with Delta, "
            ~ "pass --vars '{spark_snapshots: true}' (docs/spark.md)",
            info=True
        ) -%}
    {%- endif -%}
{%- endmacro %}
