{#-
    Why sales rejects marketing's leads: one row per MQL month x original channel x rejection
    reason (the CRM lead status of MQLs whose status maps to disqualified or recycled,
    fct_lead_follow_up). Same population as kpi_lead_sla.rejected_mqls, split by reason.
-#}

with

follow_up as (
    select * from {{ ref('fct_lead_follow_up') }}
    where is_rejected
),

aggregated as (
    select
        mql_month,
        channel,
        rejection_reason,
        min(lead_status_funnel_stage) as rejection_stage,
        count(*) as rejected_mqls
    from follow_up
    group by mql_month, channel, rejection_reason
),

final as (
    select
        {{ surrogate_key(['mql_month', 'channel', 'rejection_reason']) }}
            as lead_rejection_id,
        cast(mql_month as date) as mql_month,
        cast(channel as {{ dbt.type_string() }}) as channel,
        cast(rejection_reason as {{ dbt.type_string() }}) as rejection_reason,
        cast(rejection_stage as {{ dbt.type_string() }}) as rejection_stage,
        cast(rejected_mqls as {{ dbt.type_bigint() }}) as rejected_mqls,
        cast(
            {{ safe_divide(
                'rejected_mqls',
                'sum(rejected_mqls) over (partition by mql_month, channel)'
            ) }}
            as {{ type_double() }}
        ) as share_of_rejections
    from aggregated
)

select * from final
