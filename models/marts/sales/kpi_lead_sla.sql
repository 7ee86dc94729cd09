{#-
    Lead follow-up KPIs: one row per MQL month x original channel x lead owner (name from
    dim_owner), aggregated from fct_lead_follow_up (definitions there). SLA compliance = within / (within + breached):
    MQLs whose SLA clock is still running at as_of are pending and left out. MQL acceptance =
    SAL / MQL; rejection = rejected MQLs / MQLs (reasons in kpi_lead_rejection_reasons).
-#}

with

follow_up as (
    select * from {{ ref('fct_lead_follow_up') }}
),

owners as (
    select * from {{ ref('dim_owner') }}
),

aggregated as (
    select
        mql_month,
        channel,
        owner_id,
        count(*) as mqls,
        sum(case when is_worked then 1 else 0 end) as worked_mqls,
        sum(case when sla_status = 'within' then 1 else 0 end) as within_sla_mqls,
        sum(case when sla_status = 'breached' then 1 else 0 end) as breached_sla_mqls,
        sum(case when sla_status = 'pending' then 1 else 0 end) as pending_sla_mqls,
        sum(speed_to_lead_hours) as speed_to_lead_hours_sum,
        {{ kpi_percentile('speed_to_lead_hours', 0.5) }} as median_speed_to_lead_hours,
        {{ kpi_percentile('speed_to_lead_hours', 0.9) }} as p90_speed_to_lead_hours,
        sum(case when is_accepted then 1 else 0 end) as sals,
        sum(case when is_rejected then 1 else 0 end) as rejected_mqls
    from follow_up
    group by mql_month, channel, owner_id
),

named as (
    select
        aggregated.*,
        owners.owner_name
    from aggregated
    left join owners
        on aggregated.owner_id = owners.owner_id
),

rates as (
    select
        *,
        {{ kpi_sla_decided('within_sla_mqls', 'breached_sla_mqls') }} as sla_decided_mqls,
        {{ var('lead_sla_hours', 24) }} as sla_hours,
        {{ kpi_sla_compliance('within_sla_mqls', 'breached_sla_mqls') }} as sla_compliance_rate,
        {{ safe_divide('speed_to_lead_hours_sum', 'worked_mqls') }} as avg_speed_to_lead_hours,
        {{ safe_divide('sals', 'mqls') }} as mql_acceptance_rate,
        {{ safe_divide('rejected_mqls', 'mqls') }} as mql_rejection_rate
    from named
),

final as (
    select
        {{ surrogate_key(['mql_month', 'channel', 'owner_id']) }} as lead_sla_id,
        {{- marts_typed_columns([
            ('mql_month', 'date'),
            ('channel', 'string'),
            ('owner_id', 'string'),
            ('owner_name', 'string'),
            ('mqls', 'bigint'),
            ('worked_mqls', 'bigint'),
            ('within_sla_mqls', 'bigint'),
            ('breached_sla_mqls', 'bigint'),
            ('pending_sla_mqls', 'bigint'),
            ('sla_decided_mqls', 'bigint'),
            ('sla_hours', 'double'),
            ('sla_compliance_rate', 'double'),
            ('speed_to_lead_hours_sum', 'double'),
            ('avg_speed_to_lead_hours', 'double'),
            ('median_speed_to_lead_hours', 'double'),
            ('p90_speed_to_lead_hours', 'double'),
            ('sals', 'bigint'),
            ('mql_acceptance_rate', 'double'),
            ('rejected_mqls', 'bigint'),
            ('mql_rejection_rate', 'double'),
        ]) }}
    from rates
)

select * from final
