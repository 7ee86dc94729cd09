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

final as (
    select
        {{ surrogate_key(['mql_month', 'channel', 'owner_id']) }} as lead_sla_id,
        cast(mql_month as date) as mql_month,
        cast(channel as {{ dbt.type_string() }}) as channel,
        cast(owner_id as {{ dbt.type_string() }}) as owner_id,
        cast(owner_name as {{ dbt.type_string() }}) as owner_name,
        cast(mqls as {{ dbt.type_bigint() }}) as mqls,
        cast(worked_mqls as {{ dbt.type_bigint() }}) as worked_mqls,
        cast(within_sla_mqls as {{ dbt.type_bigint() }}) as within_sla_mqls,
        cast(breached_sla_mqls as {{ dbt.type_bigint() }}) as breached_sla_mqls,
        cast(pending_sla_mqls as {{ dbt.type_bigint() }}) as pending_sla_mqls,
        cast(
            {{ kpi_sla_decided('within_sla_mqls', 'breached_sla_mqls') }}
            as {{ dbt.type_bigint() }}
        ) as sla_decided_mqls,
        cast({{ var('lead_sla_hours', 24) }} as {{ type_double() }}) as sla_hours,
        cast(
            {{ kpi_sla_compliance('within_sla_mqls', 'breached_sla_mqls') }}
            as {{ type_double() }}
        ) as sla_compliance_rate,
        cast(speed_to_lead_hours_sum as {{ type_double() }}) as speed_to_lead_hours_sum,
        cast({{ safe_divide('speed_to_lead_hours_sum', 'worked_mqls') }} as {{ type_double() }})
            as avg_speed_to_lead_hours,
        cast(median_speed_to_lead_hours as {{ type_double() }}) as median_speed_to_lead_hours,
        cast(p90_speed_to_lead_hours as {{ type_double() }}) as p90_speed_to_lead_hours,
        cast(sals as {{ dbt.type_bigint() }}) as sals,
        cast({{ safe_divide('sals', 'mqls') }} as {{ type_double() }}) as mql_acceptance_rate,
        cast(rejected_mqls as {{ dbt.type_bigint() }}) as rejected_mqls,
        cast({{ safe_divide('rejected_mqls', 'mqls') }} as {{ type_double() }})
            as mql_rejection_rate
    from named
)

select * from final
