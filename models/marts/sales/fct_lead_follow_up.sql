{#-
    Sales follow-up of marketing qualified leads: one row per person who became an MQL (grain:
    person_id; their first MQL time, dim_person). Speed to lead = the first sales activity
    (fct_customer_journey sales_activity) at or after the MQL time and not after as_of, minus
    the MQL time. SLA (var lead_sla_hours): within = worked within the SLA; breached = worked
    later, or not worked and the SLA clock ran out before as_of; pending = not worked and the
    clock still running. Accepted = reached SAL; rejected = the CRM lead status maps (seed
    stage_mapping) to disqualified or recycled, the status being the rejection reason.
-#}
{%- set sla_hours = var('lead_sla_hours', 24) -%}

with

people as (
    select * from {{ ref('dim_person') }}
    where not is_unknown_member and became_mql_at is not null
),

journey as (
    select * from {{ ref('fct_customer_journey') }}
),

first_activities as (
    select
        people.person_id,
        min(journey.occurred_at) as first_activity_at
    from people
    inner join journey
        on people.person_id = journey.person_id
    where
        journey.event_type = 'sales_activity'
        and journey.occurred_at >= people.became_mql_at
        and journey.occurred_at <= {{ as_of_timestamp() }}
    group by people.person_id
),

measured as (
    select
        people.person_id,
        people.account_id,
        coalesce(people.owner_id, 'unknown') as owner_id,
        people.original_channel as channel,
        people.became_mql_at as mql_at,
        first_activities.first_activity_at,
        people.became_sal_at as sal_at,
        {{ kpi_hours_between('people.became_mql_at', 'first_activities.first_activity_at') }}
            as speed_to_lead_hours,
        {{ kpi_hours_between('people.became_mql_at', as_of_timestamp()) }} as hours_since_mql,
        people.lead_status,
        people.lead_status_funnel_stage
    from people
    left join first_activities
        on people.person_id = first_activities.person_id
),

classified as (
    select
        *,
        {{ kpi_period_start('month', 'mql_at') }} as mql_month,
        {{ kpi_period_start('week', 'mql_at') }} as mql_week,
        first_activity_at is not null as is_worked,
        case
            when speed_to_lead_hours <= {{ sla_hours }} then 'within'
            when first_activity_at is not null then 'breached'
            when hours_since_mql > {{ sla_hours }} then 'breached'
            else 'pending'
        end as sla_status,
        sal_at is not null as is_accepted,
        coalesce(lead_status_funnel_stage in ('disqualified', 'recycled'), false) as is_rejected,
        case
            when lead_status_funnel_stage in ('disqualified', 'recycled') then lead_status
        end as rejection_reason
    from measured
),

final as (
    select
        {{- marts_typed_columns([
            ('person_id', 'string'),
            ('account_id', 'string'),
            ('owner_id', 'string'),
            ('channel', 'string'),
            ('mql_at', 'timestamp'),
            ('mql_month', 'date'),
            ('mql_week', 'date'),
            ('first_activity_at', 'timestamp'),
            ('speed_to_lead_hours', 'double'),
            ('is_worked', 'boolean'),
            ('sla_status', 'string'),
            ('sal_at', 'timestamp'),
            ('is_accepted', 'boolean'),
            ('is_rejected', 'boolean'),
            ('rejection_reason', 'string'),
            ('lead_status', 'string'),
            ('lead_status_funnel_stage', 'string'),
        ]) }}
    from classified
)

select * from final
