{#-
    Multi-touch attribution settings and expressions (docs/attribution.md), used by
    fct_attribution.
    Milestones of a won opportunity, inside the window [created_at - attribution_lookback_days,
    won_at]:
      first                 first touch in the window
      lead_creation         last touch at or before the opportunity's people became a lead
      opportunity_creation  last touch at or before the opportunity was created
      closed_won            last touch at or before the win (the last touch in the window)
    Each rule-based model gives each milestone a share and spreads `other` equally over the
    touches that are none of its milestones. Override with the var attribution_weights
    (same shape). linear and time_decay are computed, not weighted.
-#}
{% macro attribution_model_weights() -%}
    {%- set defaults = {
        'first_touch': {'first': 1.0},
        'last_touch': {'closed_won': 1.0},
        'position_based': {'first': 0.4, 'closed_won': 0.4, 'other': 0.2},
        'u_shaped': {'first': 0.5, 'lead_creation': 0.5},
        'w_shaped': {
            'first': 0.3, 'lead_creation': 0.3, 'opportunity_creation': 0.3, 'other': 0.1
        },
        'full_path': {
            'first': 0.225, 'lead_creation': 0.225, 'opportunity_creation': 0.225,
            'closed_won': 0.225, 'other': 0.1
        },
    } -%}
    {{- return(var('attribution_weights', defaults)) -}}
{%- endmacro %}


{#- The four milestones, in domain order. -#}
{% macro attribution_milestones() -%}
    {{- return(['first', 'lead_creation', 'opportunity_creation', 'closed_won']) -}}
{%- endmacro %}


{#- The eight attribution models, in report order. -#}
{% macro attribution_models() -%}
    {{- return([
        'first_touch', 'last_touch', 'linear', 'position_based',
        'u_shaped', 'w_shaped', 'full_path', 'time_decay'
    ]) -}}
{%- endmacro %}


{#-
    Attribution scopes (docs/attribution.md, attribution_scopes): scope -> the journey event
    types (fct_customer_journey.event_type) that are its touchpoints. `marketing` (the default
    scope, var attribution_default_scope) credits marketing touches only; `full_funnel` adds
    sales activities. Override with the var attribution_scopes (same shape).
-#}
{% macro attribution_scopes() -%}
    {%- set marketing = ['web_session', 'ad_click', 'form_submission', 'email_click'] -%}
    {{- return(var('attribution_scopes', {
        'marketing': marketing,
        'full_funnel': marketing + ['sales_activity'],
    })) -}}
{%- endmacro %}


{#- The scope ROAS, CAC and the report's headline figures read (default marketing). -#}
{% macro attribution_default_scope() -%}
    {{- return(var('attribution_default_scope', 'marketing')) -}}
{%- endmacro %}


{#-
    Journey event types that are touchpoints in some scope (the union of attribution_scopes(),
    in order): the audience of an opportunity without contact roles and marketing influence
    (kpi_sales_performance) read them.
-#}
{% macro attribution_touch_event_types() -%}
    {%- set types = [] -%}
    {%- for scope_types in attribution_scopes().values() -%}
        {%- for event_type in scope_types if event_type not in types -%}
            {%- do types.append(event_type) -%}
        {%- endfor -%}
    {%- endfor -%}
    {{- return(types) -}}
{%- endmacro %}


{#- (scope, event_type) pairs of attribution_scopes() as a SQL query. -#}
{% macro attribution_scope_event_types() -%}
    {%- set parts = [] -%}
    {%- for scope, scope_types in attribution_scopes().items() -%}
        {%- for event_type in scope_types -%}
            {%- do parts.append(
                "select '" ~ scope ~ "' as scope, '" ~ event_type ~ "' as event_type"
            ) -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ parts | join('\n    union all\n    ') }}
{%- endmacro %}


{#- The touch event types as a SQL list literal: ('web_session', 'ad_click', ...). -#}
{% macro attribution_touch_event_type_list() -%}
    ('{{ attribution_touch_event_types() | join("', '") }}')
{%- endmacro %}


{#-
    Boolean SQL: the touch is one of the milestones the model gives a share to
    (columns is_<milestone>_touch).
-#}
{% macro attribution_is_milestone(shares) -%}
    {%- set parts = [] -%}
    {%- for milestone in attribution_milestones() if shares.get(milestone, 0) > 0 -%}
        {%- do parts.append('is_' ~ milestone ~ '_touch') -%}
    {%- endfor -%}
    ({{ parts | join(' or ') if parts else 'false' }})
{%- endmacro %}


{#-
    The raw credit of a touch under a rule-based model (shares: milestone -> share, 'other'):
      sum of the shares of the milestones the touch is
      + for a milestone touch: (shares of milestones without a touch + 'other' when there is no
        other touch) / number of the model's milestone touches
      + for any other touch: 'other' / number of other touches.
    Needs the columns is_<milestone>_touch, has_lead_creation_touch,
    has_opportunity_creation_touch, touch_count, is_<model>_milestone, <model>_milestone_count.
-#}
{% macro attribution_rule_credit(model_name, shares) -%}
    {%- set other = shares.get('other', 0) -%}
    {%- set terms = [] -%}
    {%- for milestone in attribution_milestones() if shares.get(milestone, 0) > 0 -%}
        {%- do terms.append(
            'case when is_' ~ milestone ~ '_touch then ' ~ shares[milestone] ~ ' else 0 end'
        ) -%}
    {%- endfor -%}
    {%- set missing = ['0'] -%}
    {%- for milestone in ['lead_creation', 'opportunity_creation']
        if shares.get(milestone, 0) > 0 -%}
        {%- do missing.append(
            'case when has_' ~ milestone ~ '_touch then 0 else ' ~ shares[milestone] ~ ' end'
        ) -%}
    {%- endfor -%}
    {%- do missing.append(
        'case when touch_count = ' ~ model_name ~ '_milestone_count then '
        ~ other ~ ' else 0 end'
    ) -%}
    {%- do terms.append(
        'case when is_' ~ model_name ~ '_milestone then (' ~ missing | join(' + ') ~ ') / '
        ~ model_name ~ '_milestone_count else ' ~ other ~ ' / nullif(touch_count - '
        ~ model_name ~ '_milestone_count, 0) end'
    ) -%}
    ({{ terms | join(' + ') }})
{%- endmacro %}


{#- The data-driven models, in report order (docs/attribution.md, data_driven_attribution). -#}
{% macro attribution_data_driven_models() -%}
    {{- return(var('attribution_data_driven_models', ['markov', 'shapley'])) -}}
{%- endmacro %}


{#- Every model fct_attribution stores: the eight rule-based ones, then the data-driven. -#}
{% macro attribution_all_models() -%}
    {{- return(attribution_models() + attribution_data_driven_models()) -}}
{%- endmacro %}


{#-
    `materialized` for a CTE read several times (PostgreSQL 12+ and DuckDB compute it once);
    engines without the keyword get nothing.
-#}
{% macro cte_materialized() -%}
    {{ return(adapter.dispatch('cte_materialized', 'revops')()) }}
{%- endmacro %}

{% macro default__cte_materialized() -%}
    materialized
{%- endmacro %}

{% macro spark__cte_materialized() -%}
{%- endmacro %}


{#- Bitwise exclusive or of two integers (PostgreSQL #, DuckDB xor(), Spark ^). -#}
{% macro bit_xor(a, b) -%}
    {{ return(adapter.dispatch('bit_xor', 'revops')(a, b)) }}
{%- endmacro %}

{#- operands in parentheses: PostgreSQL gives # and >> the same precedence -#}
{% macro default__bit_xor(a, b) -%}
    (({{ a }}) # ({{ b }}))
{%- endmacro %}

{% macro duckdb__bit_xor(a, b) -%}
    xor({{ a }}, {{ b }})
{%- endmacro %}

{% macro spark__bit_xor(a, b) -%}
    (({{ a }}) ^ ({{ b }}))
{%- endmacro %}
