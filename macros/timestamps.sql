{#-
    Every timestamp downstream of staging is a naive timestamp in UTC. Raw columns are
    timezone-aware (timestamptz); converting with an explicit zone keeps the result independent
    of the session time zone of whoever runs dbt.
-#}
{% macro to_utc_timestamp(column) -%}
    {{ return(adapter.dispatch('to_utc_timestamp', 'revops')(column)) }}
{%- endmacro %}

{% macro default__to_utc_timestamp(column) -%}
    cast(({{ column }} at time zone 'UTC') as {{ dbt.type_timestamp() }})
{%- endmacro %}

{% macro spark__to_utc_timestamp(column) -%}
    cast({{ column }} as timestamp)
{%- endmacro %}

{#-
    "Now" for everything relative to the present (ages, SLA clocks, the as_of week and month):
    one instant per dbt invocation, a naive UTC timestamp.

    - The var as_of, an ISO date or timestamp; offsets are honoured (2026-01-01T10:00:00+02:00
      is 08:00 UTC), Z or no offset is UTC, a date alone is midnight. Every Dagster run passes
      its own (orchestration/run_settings.py: `--vars '{"as_of": "2026-01-01T08:00:00Z"}'`).
    - Without it (a plain `dbt build`): the latest load of the raw data, the largest
      loaded_at_field (_fivetran_synced) of the sources, so that a rebuild of the same data gives
      the same marts; with no raw data at all, the start of the invocation (run_started_at).
      on-run-start logs which one was used (revops_as_of_notice).
-#}
{% macro as_of_timestamp() -%}
    cast('{{ revops_as_of()[0] }}' as {{ dbt.type_timestamp() }})
{%- endmacro %}

{#- The as_of day (date). -#}
{% macro as_of_date() -%}
    cast({{ as_of_timestamp() }} as date)
{%- endmacro %}

{#- (as_of as 'YYYY-MM-DD HH:MM:SS[.ffffff]' in UTC, where it comes from) -#}
{% macro revops_as_of() -%}
    {%- set given = revops_as_of_var() -%}
    {%- if given -%}
        {{ return((given, 'var as_of')) }}
    {%- endif -%}
    {%- set latest = revops_latest_load() if execute else '' -%}
    {%- if latest -%}
        {{ return((latest, 'default: the latest loaded_at_field of the raw sources')) }}
    {%- endif -%}
    {{ return((
        run_started_at.strftime('%Y-%m-%d %H:%M:%S'),
        'default: no raw data, the start of this dbt invocation'
    )) }}
{%- endmacro %}

{#- The var as_of in UTC as text, '' when not given; a value that is not ISO 8601 is an error. -#}
{% macro revops_as_of_var() -%}
    {%- set raw = var('as_of', none) -%}
    {%- set text = '' if raw is none else (raw | string | trim) -%}
    {%- if not text -%}
        {{ return('') }}
    {%- endif -%}
    {%- set iso = '^[0-9]{4}-[0-9]{2}-[0-9]{2}'
        ~ '([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]{1,6})?)?)?'
        ~ '(Z|[+-][0-9]{2}:?[0-9]{2})?$' -%}
    {%- if not modules.re.match(iso, text) -%}
        {{ exceptions.raise_compiler_error(
            "var as_of=" ~ text ~ " is not an ISO-8601 date or timestamp (e.g. 2026-01-01, "
            ~ "2026-01-01T08:00:00Z or 2026-01-01T10:00:00+02:00)"
        ) }}
    {%- endif -%}
    {%- set parsed = modules.datetime.datetime.fromisoformat(text) -%}
    {%- if parsed.tzinfo is not none -%}
        {%- set parsed = parsed.astimezone(modules.pytz.utc).replace(tzinfo=none) -%}
    {%- endif -%}
    {{ return(parsed.isoformat(sep=' ')) }}
{%- endmacro %}

{#- The latest loaded_at_field of the sources that exist with that column (UTC text), or ''. -#}
{% macro revops_latest_load() -%}
    {%- set wanted = {} -%}
    {%- for node in graph.sources.values() if node.loaded_at_field -%}
        {%- do wanted.update({(node.schema | lower, node.identifier | lower): node}) -%}
    {%- endfor -%}
    {%- if not wanted -%}
        {{ return('') }}
    {%- endif -%}
    {%- set schemas = wanted.keys() | map('first') | unique | list -%}
    {%- set selects = [] -%}
    {%- for row in revops_source_columns(schemas, wanted) -%}
        {%- set node = wanted.get((row[0] | lower, row[1] | lower)) -%}
        {%- if node and (row[2] | lower) == (node.loaded_at_field | lower) -%}
            {%- set relation = api.Relation.create(
                database=node.database, schema=row[0], identifier=row[1]
            ) -%}
            {%- do selects.append(
                'select max(' ~ to_utc_timestamp(adapter.quote(row[2])) ~ ') as loaded_at from '
                ~ relation
            ) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if not selects -%}
        {{ return('') }}
    {%- endif -%}
    {%- set latest -%}
        select cast(max(loaded_at) as {{ dbt.type_string() }})
        from ({{ selects | join(' union all ') }}) as loads
    {%- endset -%}
    {%- set value = run_query(latest).columns[0].values()[0] -%}
    {{ return('' if value is none else (value | string)) }}
{%- endmacro %}

{#- (schema, table, column) of every column of the tables in `schemas`. -#}
{% macro revops_source_columns(schemas, wanted) -%}
    {{ return(adapter.dispatch('revops_source_columns', 'revops')(schemas, wanted)) }}
{%- endmacro %}

{% macro default__revops_source_columns(schemas, wanted) -%}
    {%- set columns -%}
        select table_schema, table_name, column_name
        from information_schema.columns
        where lower(table_schema) in ('{{ schemas | join("', '") }}')
    {%- endset -%}
    {{ return(run_query(columns)) }}
{%- endmacro %}

{#- Spark has no information_schema: the columns of each wanted source table that exists. -#}
{% macro spark__revops_source_columns(schemas, wanted) -%}
    {%- set rows = [] -%}
    {%- for key, node in wanted.items() -%}
        {%- set existing = adapter.get_relation(
            database=none, schema=node.schema, identifier=node.identifier
        ) -%}
        {%- if existing is not none -%}
            {%- for column in adapter.get_columns_in_relation(existing) -%}
                {%- do rows.append((node.schema, node.identifier, column.name)) -%}
            {%- endfor -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(rows) }}
{%- endmacro %}

{#- on-run-start: say which as_of this invocation uses, and where it comes from. -#}
{% macro revops_as_of_notice() -%}
    {%- if execute -%}
        {%- set as_of, origin = revops_as_of() -%}
        {%- do log('as_of = ' ~ as_of ~ ' UTC (' ~ origin ~ ')', info=True) -%}
        {%- if origin != 'var as_of' -%}
            {%- do log(
                "as_of not given: pass it with --vars '{as_of: 2026-01-01T00:00:00Z}' "
                ~ "(README, Running dbt directly)",
                info=True
            ) -%}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}

{#-
    The last instant of a calendar day in the company's time zone (var company_timezone, an
    IANA name, default UTC), as a naive UTC timestamp: the moment a deal known only by its
    close date was won, so that every touch of that local day lies before it.
-#}
{% macro end_of_local_day(date_expr) -%}
    {{ return(adapter.dispatch('end_of_local_day', 'revops')(date_expr)) }}
{%- endmacro %}

{% macro default__end_of_local_day(date_expr) -%}
    {%- set tz = var('company_timezone', 'UTC') -%}
    {{ dbt.dateadd(
        'microsecond',
        -1,
        "cast(((cast(" ~ dbt.dateadd('day', 1, 'cast(' ~ date_expr ~ ' as date)') ~ " as "
        ~ dbt.type_timestamp() ~ ") at time zone '" ~ tz ~ "') at time zone 'UTC') as "
        ~ dbt.type_timestamp() ~ ")"
    ) }}
{%- endmacro %}

{% macro spark__end_of_local_day(date_expr) -%}
    {%- set tz = var('company_timezone', 'UTC') -%}
    to_utc_timestamp(
        cast(date_add(cast({{ date_expr }} as date), 1) as timestamp), '{{ tz }}'
    ) - interval 1 microsecond
{%- endmacro %}
