{#-
    Validity ranges of exchange rates: [valid_from, valid_to), a null bound open-ended. A
    conversion factor between two currencies holds where both rates hold: the intersection of
    the two ranges (int_opportunity_amounts, for Salesforce's dated rates and the seed's).
-#}

{#- valid_from and valid_to of the intersection of the ranges of relations a and b. -#}
{% macro rate_range_intersection(a, b) -%}
    case
        when {{ a }}.valid_from is null then {{ b }}.valid_from
        when {{ b }}.valid_from is null then {{ a }}.valid_from
        when {{ a }}.valid_from > {{ b }}.valid_from then {{ a }}.valid_from
        else {{ b }}.valid_from
    end as valid_from,
    case
        when {{ a }}.valid_to is null then {{ b }}.valid_to
        when {{ b }}.valid_to is null then {{ a }}.valid_to
        when {{ a }}.valid_to < {{ b }}.valid_to then {{ a }}.valid_to
        else {{ b }}.valid_to
    end as valid_to
{%- endmacro %}

{#- Whether the ranges of a and b overlap (a join condition). -#}
{% macro rate_ranges_overlap(a, b) -%}
    (
        {{ a }}.valid_to is null
        or {{ b }}.valid_from is null
        or {{ a }}.valid_to > {{ b }}.valid_from
    )
    and (
        {{ b }}.valid_to is null
        or {{ a }}.valid_from is null
        or {{ a }}.valid_from < {{ b }}.valid_to
    )
{%- endmacro %}
