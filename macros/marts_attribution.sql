{#-
    The scopes of the attribution marts (fct_attribution, fct_attribution_journeys) as two CTEs:
    scope_event_types, one row per scope x journey event type that is a touch of it
    (attribution_scopes()), and scopes, one row per scope. Call it among a model's CTEs,
    followed by a comma when more CTEs come.
-#}
{% macro marts_attribution_scope_ctes() -%}
scope_event_types as (
    {{ attribution_scope_event_types() }}
),

scopes as (
    select distinct scope
    from scope_event_types
)
{%- endmacro %}
