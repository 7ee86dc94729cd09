{#-
    The typed column lists of the marts: a mart's final select casts every column to the type
    its contract declares, and a dimension adds its unknown member. A column is a tuple
    (name, type) or (name, type, unknown): type is a short name of marts_type() or none (the
    column passes as it is, e.g. a boolean computed as such); unknown is the unknown member's
    SQL value, by default a null of the column's type.
-#}

{#- The SQL type of a short name: string, bigint, int, double, boolean, timestamp or date. -#}
{% macro marts_type(name) -%}
    {%- if name == 'string' -%} {{ dbt.type_string() }}
    {%- elif name == 'bigint' -%} {{ dbt.type_bigint() }}
    {%- elif name == 'int' -%} {{ dbt.type_int() }}
    {%- elif name == 'double' -%} {{ type_double() }}
    {%- elif name == 'boolean' -%} {{ dbt.type_boolean() }}
    {%- elif name == 'timestamp' -%} {{ dbt.type_timestamp() }}
    {%- elif name == 'date' -%} date
    {%- else -%}
        {{ exceptions.raise_compiler_error("marts_type: unknown type '" ~ name ~ "'") }}
    {%- endif -%}
{%- endmacro %}

{#- cast(name as type) as name for each column (name alone when its type is none), comma-separated. -#}
{% macro marts_typed_columns(columns) -%}
    {%- for column in columns %}
        {% if column[1] -%}
        cast({{ column[0] }} as {{ marts_type(column[1]) }}) as {{ column[0] }}
        {%- else -%}
        {{ column[0] }}
        {%- endif -%}
        {{ ',' if not loop.last }}
    {%- endfor %}
{%- endmacro %}

{#-
    The end of a dimension: its unknown member (each column's unknown value), appended to the
    relation of resolved rows (the same columns in the same order), and the typed final select.
    Renders the CTEs unknown_member, with_unknown_member and final, then selects final; call
    it after the model's last CTE and its comma.
-#}
{% macro marts_dimension_with_unknown_member(resolved, columns) -%}
unknown_member as (
    select
    {%- for column in columns %}
        {% if column | length > 2 -%}
        {{ column[2] }}
        {%- else -%}
        cast(null as {{ marts_type(column[1]) }})
        {%- endif %} as {{ column[0] }}{{ ',' if not loop.last }}
    {%- endfor %}
),

with_unknown_member as (
    select * from {{ resolved }}
    union all
    select * from unknown_member
),

final as (
    select
        {{- marts_typed_columns(columns) }}
    from with_unknown_member
)

select * from final
{%- endmacro %}
