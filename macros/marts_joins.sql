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
