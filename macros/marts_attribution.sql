{#-
    The inputs the attribution marts (fct_attribution, fct_attribution_journeys) share, as
    CTEs: opportunities (fct_opportunities), journey (fct_customer_journey), audience (the
    people of each opportunity, fct_opportunity_audience), scope_event_types (one row per
    scope x journey event type that is a touch of it, attribution_scopes()) and scopes (one
    row per scope). Call it first after `with`, followed by a comma.
-#}
{% macro marts_attribution_inputs() -%}
opportunities as (
    select * from {{ ref('fct_opportunities') }}
),

journey as (
    select * from {{ ref('fct_customer_journey') }}
),

audience as (
    select * from {{ ref('fct_opportunity_audience') }}
),

scope_event_types as (
    {{ attribution_scope_event_types() }}
),

scopes as (
    select distinct scope
    from scope_event_types
)
{%- endmacro %}
