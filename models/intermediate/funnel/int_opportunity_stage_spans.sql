{#-
    Stints of each opportunity in each stage, from its stage history
    (int_opportunity_stage_changes): the first stage (the first change's old value, else the
    current stage) is entered at creation; each change enters its new value. A stint ends when the next one starts; the last stint is open
    (exited_at null). One row per (opportunity, stint).
-#}
with

opportunities as (
    select * from {{ ref('stg_salesforce__opportunities') }}
),

history as (
    select * from {{ ref('int_opportunity_stage_changes') }}
),

ordered_changes as (
    select
        opportunity_id,
        old_value,
        new_value,
        changed_at,
        row_number() over (
            partition by opportunity_id order by changed_at, history_row_id
        ) as change_number
    from history
),

initial_stints as (
    select
        opportunities.opportunity_id,
        coalesce(ordered_changes.old_value, opportunities.stage_name) as stage_name,
        opportunities.created_at as entered_at,
        0 as stint_number
    from opportunities
    left join ordered_changes
        on
            opportunities.opportunity_id = ordered_changes.opportunity_id
            and ordered_changes.change_number = 1
),

change_stints as (
    select
        ordered_changes.opportunity_id,
        ordered_changes.new_value as stage_name,
        ordered_changes.changed_at as entered_at,
        ordered_changes.change_number as stint_number
    from ordered_changes
    inner join opportunities
        on ordered_changes.opportunity_id = opportunities.opportunity_id
),

stints as (
    select * from initial_stints
    union all
    select * from change_stints
),

final as (
    select
        {{ surrogate_key(['opportunity_id', 'stint_number']) }} as stage_span_id,
        opportunity_id,
        stint_number,
        stage_name,
        entered_at,
        lead(entered_at) over (
            partition by opportunity_id order by stint_number
        ) as exited_at
    from stints
)

select * from final
