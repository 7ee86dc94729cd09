{#-
    The typed stage-pair columns of the funnel conversion marts (kpi_funnel_conversion and its
    roll-up over channels, kpi_funnel_conversion_monthly), in their contracts' order: the stage
    pair, its counts, the conversion rate (macros/kpi_formulas.sql) of those counts and the sum
    of days to convert. From a relation with these columns (the rate computed here).
-#}
{% macro marts_funnel_conversion_columns() -%}
    {{- marts_typed_columns([
        ('stage_pair', 'string'),
        ('from_stage', 'string'),
        ('to_stage', 'string'),
        ('stage_pair_order', 'int'),
        ('entered_count', 'bigint'),
        ('converted_count', 'bigint'),
    ]) }},
        cast({{ kpi_conversion_rate('converted_count', 'entered_count') }} as {{ type_double() }})
            as conversion_rate,
        cast(days_to_convert_sum as {{ type_double() }}) as days_to_convert_sum
{%- endmacro %}
