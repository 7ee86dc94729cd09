{#-
    One row per day (column date_day) from start_date to end_date inclusive, both SQL date
    expressions. Portable: days are numbered by cross-joining a ten-row digits list
    (10^digits days, default ~27 years), so no generate_series / sequence / compile-time query.
-#}
{% macro date_spine_days(start_date, end_date, digits=4) -%}
    {%- set ns = namespace(terms=[]) -%}
    {%- for i in range(digits) -%}
        {%- do ns.terms.append('d' ~ i ~ '.n * ' ~ (10 ** i)) -%}
    {%- endfor -%}
    select date_day
    from (
        select
            cast({{ dbt.dateadd('day', ns.terms | join(' + '), start_date) }} as date) as date_day
        from
            (select 0 as n union all select 1 union all select 2 union all select 3 union all
                select 4 union all select 5 union all select 6 union all select 7 union all
                select 8 union all select 9) as d0
        {%- for i in range(1, digits) %}
            cross join (select 0 as n union all select 1 union all select 2 union all
                select 3 union all select 4 union all select 5 union all select 6 union all
                select 7 union all select 8 union all select 9) as d{{ i }}
        {%- endfor %}
    ) as days
    where date_day <= {{ end_date }}
{%- endmacro %}

{#- ISO day of week (1 = Monday .. 7 = Sunday). -#}
{% macro iso_day_of_week(date_expr) -%}
    {{ return(adapter.dispatch('iso_day_of_week', 'revops')(date_expr)) }}
{%- endmacro %}

{% macro default__iso_day_of_week(date_expr) -%}
    extract(isodow from {{ date_expr }})
{%- endmacro %}

{% macro spark__iso_day_of_week(date_expr) -%}
    (((dayofweek({{ date_expr }}) + 5) % 7) + 1)
{%- endmacro %}
