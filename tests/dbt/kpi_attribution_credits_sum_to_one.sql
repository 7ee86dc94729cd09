-- Shown in Dagster as an asset check on the model it guards (dagster-dbt reads meta.dagster.ref).
{{ config(meta={'dagster': {'ref': {'name': 'fct_attribution'}}}) }}

{#-
    Attribution edge rules: every won opportunity has credits in each of the eight models and
    each scope (attribution_scopes()), and each conversion's credits sum to exactly 1 (exact
    decimals) per model and scope and its revenue credits to its won revenue. Returns the
    offending (opportunity, model, scope) triples.
-#}
with

won as (
    select
        opportunity_id,
        amount_usd
    from {{ ref('fct_opportunities') }}
    where is_won
),

models as (
    {% for model_name in attribution_all_models() -%}
    select '{{ model_name }}' as attribution_model
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

scopes as (
    {% for scope in attribution_scopes() -%}
    select '{{ scope }}' as scope
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

credits as (
    select
        opportunity_id,
        attribution_model,
        scope,
        sum(credit) as credit_total,
        sum(revenue_credit_usd) as revenue_credit_total_usd
    from {{ ref('fct_attribution') }}
    group by opportunity_id, attribution_model, scope
),

checked as (
    select
        won.opportunity_id,
        models.attribution_model,
        scopes.scope,
        credits.credit_total,
        credits.revenue_credit_total_usd,
        won.amount_usd
    from won
    cross join models
    cross join scopes
    left join credits
        on
            won.opportunity_id = credits.opportunity_id
            and models.attribution_model = credits.attribution_model
            and scopes.scope = credits.scope
)

select *
from checked
where
    credit_total is null
    or credit_total != 1
    or abs(coalesce(revenue_credit_total_usd, 0) - coalesce(amount_usd, 0)) > 0.005
