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
),

only_journeys as (
    select
        'journeys only' as side,
        *
    from journeys
    where not exists (
            select 1
            from credited
            where
                credited.opportunity_id = journeys.opportunity_id
                and credited.scope = journeys.scope
                and credited.touchpoint_id = journeys.touchpoint_id
        )
),

only_credited as (
    select
        'credits only' as side,
        *
    from credited
    where not exists (
            select 1
            from journeys
            where
                journeys.opportunity_id = credited.opportunity_id
                and journeys.scope = credited.scope
                and journeys.touchpoint_id = credited.touchpoint_id
        )
)

select * from only_journeys
union all
select * from only_credited
