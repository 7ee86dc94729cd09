{#-
    Joins each relation of relations to base on equal keys (every key a column of both):
    `left join spend on grid.month_start = spend.month_start and grid.channel = spend.channel`
    and so on. The marts use it where a spine or grid of periods gathers the measures of
    several CTEs that share its grain.
-#}
{% macro marts_join_each(base, relations, keys, join_type='left') -%}
    {%- for relation in relations %}
    {{ join_type }} join {{ relation }}
        on
            {%- for key in keys %} {{ base }}.{{ key }} = {{ relation }}.{{ key }}
            {%- if not loop.last %} and{% endif %}
            {%- endfor %}
    {%- endfor %}
{%- endmacro %}

{#-
    The grid of a KPI mart: every combination of keys (e.g. month_start, channel) that one of the
    parts (CTEs counting measures at that grain) has a row for, each once (union).
-#}
{% macro marts_key_grid(parts, keys) -%}
    {%- for part in parts %}
    select
        {%- for key in keys %}
        {{ key }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ part }}
    {%- if not loop.last %}
    union
    {%- endif %}
    {%- endfor %}
{%- endmacro %}

{#-
    A money sum of a part left-joined to a grid or spine: 0 when the part has no row there
    (nothing of it in the period), else the part's value, which stays null when the sum is
    unknown (an amount without exchange rate; kpi_money_sum). key: a join key of the part.
-#}
{% macro marts_zero_if_no_row(part, column, key='month_start') -%}
    case when {{ part }}.{{ key }} is null then 0 else {{ part }}.{{ column }} end
{%- endmacro %}

{#-
    The measures of a part left-joined to a grid or spine, 0 where the part has no row (nothing
    of it in the period): counts (columns never null in a row of the part: counts, sums
    without unknowns) as coalesce(part.column, 0); money_sums (kpi_money_sum columns, null when
    unknown) with marts_zero_if_no_row, so that an unknown sum stays null. key: a join key of
    the part. Comma-separated, counts first.
-#}
{% macro marts_part_measures(part, counts=[], money_sums=[], key='month_start') -%}
    {%- for column in counts %}
        coalesce({{ part }}.{{ column }}, 0) as {{ column }}{{ ',' if not loop.last or money_sums }}
    {%- endfor %}
    {%- for column in money_sums %}
        {{ marts_zero_if_no_row(part, column, key) }} as {{ column }}{{ ',' if not loop.last }}
    {%- endfor %}
{%- endmacro %}
