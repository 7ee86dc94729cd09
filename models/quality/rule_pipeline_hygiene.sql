{#-
    Rule 12 pipeline_hygiene: live open opportunities whose close date lies before as_of, or
    whose last activity (created, last StageName change of opportunity_field_history, last row
    of OpportunityHistory (opportunity_history: a change of stage, amount, probability or close
    date), last live task on it) is more than 30 days before as_of. One row per opportunity.
    Without stage history and tasks in the export, activity is unknown: only the close-date
    part is checked.
-#}

with

{{ live_tables([
    'salesforce.opportunity', 'salesforce.opportunity_field_history',
    'salesforce.opportunity_history', 'salesforce.task',
]) }},

open_opportunities as (
    select
        id as opportunity_id,
        stage_name,
        close_date,
        created_date
    from salesforce_opportunity
    where not coalesce(is_closed, false)
),

stage_changes as (
    select
        opportunity_id,
        max(created_date) as last_stage_change_at
    from (
        select
            opportunity_id,
            created_date
        from salesforce_opportunity_field_history
        where field = 'StageName'
        union all
        select
            opportunity_id,
            created_date
        from salesforce_opportunity_history
    ) as changes
    group by opportunity_id
),

activities as (
    select
        what_id as opportunity_id,
        max(created_date) as last_task_at
    from salesforce_task
    group by what_id
),

activity as (
    select
        o.*,
        greatest(
            o.created_date,
            coalesce(s.last_stage_change_at, o.created_date),
            coalesce(a.last_task_at, o.created_date)
        ) as last_activity_at
    from open_opportunities as o
    left join stage_changes as s on o.opportunity_id = s.opportunity_id
    left join activities as a on o.opportunity_id = a.opportunity_id
)

select
    opportunity_id,
    stage_name,
    close_date,
    last_activity_at,
    case
        when close_date < {{ as_of_date() }} then 'open with a close date in the past'
        else 'no stage change or activity for 30 days'
    end as finding
from activity
where close_date < {{ as_of_date() }}
    or (
        (
            {{ source_exists('salesforce', 'opportunity_field_history') }}
            or {{ source_exists('salesforce', 'opportunity_history') }}
            or {{ source_exists('salesforce', 'task') }}
        )
        and last_activity_at < {{ as_of_timestamp() }} - interval '30 days'
    )
