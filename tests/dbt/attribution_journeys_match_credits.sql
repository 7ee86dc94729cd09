-- Shown in Dagster as an asset check on the model it guards (dagster-dbt reads meta.dagster.ref).
{{ config(meta={'dagster': {'ref': {'name': 'fct_attribution_journeys'}}}) }}

{#-
    The converting journeys the data-driven models learn from are exactly the touches the
    rule models credit (docs/attribution.md, attribution_journeys): per scope, the same won
    opportunities with the same touches. Returns the (opportunity, scope, touch) on one side
    only.
-#}
with

journeys as (
    select
        journey_id as opportunity_id,
        scope,
        touchpoint_id
    from {{ ref('fct_attribution_journeys') }}
    where is_converting and touchpoint_id != 'none'
),

credited as (
    select distinct
        opportunity_id,
        scope,
        touchpoint_id
    from {{ ref('fct_attribution') }}
    where touchpoint_id != 'unattributed'
)

{#- each side's rows that the other side lacks #}
{% for side, rows, other in [
    ('journeys only', 'journeys', 'credited'),
    ('credits only', 'credited', 'journeys'),
] -%}
select
    '{{ side }}' as side,
    *
from {{ rows }}
where not exists (
        select 1
        from {{ other }}
        where
            {{ other }}.opportunity_id = {{ rows }}.opportunity_id
            and {{ other }}.scope = {{ rows }}.scope
            and {{ other }}.touchpoint_id = {{ rows }}.touchpoint_id
    )
{% if not loop.last %}union all{% endif %}
{% endfor %}
