{#-
    Totals of the KPI marts reconcile with the core marts: won revenue, pipeline, spend, MQLs and
    attributed revenue per model (every model's column sums to won revenue). Returns one row
    per disagreeing total (tolerance half a cent for money, 0 for counts).
-#}
with

opportunities as (
    select
        sum(case when is_won then coalesce(amount_usd, 0) else 0 end) as won_usd,
        sum(coalesce(amount_usd, 0)) as pipeline_usd,
        sum(case when is_won then 1 else 0 end) as won_count,
        sum(case when is_lost then 1 else 0 end) as lost_count
    from {{ ref('fct_opportunities') }}
),

people as (
    select sum(case when became_mql_at is not null then 1 else 0 end) as mql_count
    from {{ ref('dim_person') }}
),

spend as (
    select sum(spend_usd) as spend_usd
    from {{ ref('fct_ad_spend') }}
),

channel_performance as (
    select
        sum(won_revenue_usd) as won_usd,
        sum(pipeline_usd) as pipeline_usd,
        sum(spend_usd) as spend_usd,
        sum(mqls) as mql_count,
        {% for model_name in attribution_models() -%}
        sum(attributed_revenue_{{ model_name }}_usd) as attributed_{{ model_name }}_usd,
        {% endfor -%}
        count(*) as row_count
    from {{ ref('kpi_channel_performance') }}
),

sales_performance as (
    select
        sum(won_amount_usd) as won_usd,
        sum(pipeline_created_usd) as pipeline_usd,
        sum(won_count) as won_count,
        sum(lost_count) as lost_count
    from {{ ref('kpi_sales_performance') }}
),

lead_sla as (
    select
        sum(mqls) as mql_count,
        sum(within_sla_mqls + breached_sla_mqls + pending_sla_mqls) as sla_mql_count
    from {{ ref('kpi_lead_sla') }}
),

differences as (
    select
        'channel_performance.won_revenue_usd' as total_name,
        channel_performance.won_usd - opportunities.won_usd as difference
    from channel_performance cross join opportunities
    union all
    select
        'channel_performance.pipeline_usd' as total_name,
        channel_performance.pipeline_usd - opportunities.pipeline_usd as difference
    from channel_performance cross join opportunities
    union all
    select
        'channel_performance.spend_usd' as total_name,
        channel_performance.spend_usd - spend.spend_usd as difference
    from channel_performance cross join spend
    union all
    select
        'channel_performance.mqls' as total_name,
        channel_performance.mql_count - people.mql_count as difference
    from channel_performance cross join people
    {% for model_name in attribution_models() -%}
    union all
    select
        'channel_performance.attributed_revenue_{{ model_name }}_usd' as total_name,
        channel_performance.attributed_{{ model_name }}_usd - opportunities.won_usd as difference
    from channel_performance cross join opportunities
    {% endfor -%}
    union all
    select
        'sales_performance.won_amount_usd' as total_name,
        sales_performance.won_usd - opportunities.won_usd as difference
    from sales_performance cross join opportunities
    union all
    select
        'sales_performance.pipeline_created_usd' as total_name,
        sales_performance.pipeline_usd - opportunities.pipeline_usd as difference
    from sales_performance cross join opportunities
    union all
    select
        'sales_performance.won_count + lost_count' as total_name,
        (sales_performance.won_count + sales_performance.lost_count)
        - (opportunities.won_count + opportunities.lost_count) as difference
    from sales_performance cross join opportunities
    union all
    select
        'lead_sla.mqls' as total_name,
        lead_sla.mql_count - people.mql_count as difference
    from lead_sla cross join people
    union all
    select
        'lead_sla.sla_status_split' as total_name,
        lead_sla.sla_mql_count - lead_sla.mql_count as difference
    from lead_sla
)

select *
from differences
where abs(coalesce(difference, 0)) > 0.005
