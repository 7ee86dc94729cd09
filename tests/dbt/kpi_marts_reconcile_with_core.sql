-- Shown in Dagster as an asset check on the model it guards (dagster-dbt reads meta.dagster.ref).
{{ config(meta={'dagster': {'ref': {'name': 'kpi_sales_performance'}}}) }}

{#-
    The KPI marts reconcile with the core marts: won revenue (bookings), pipeline and attributed
    revenue per model (every model's column sums to won revenue) month by month, spend, MQLs and counts in
    total. Money follows the money rule (docs: money_conversion): a month holding an amount
    without exchange rate is null on both sides (never 0) and the marts' unconverted counts
    equal the core's; the other months agree to half a cent. Returns one row per disagreeing
    total (and month).
-#}
{%- set money = [
    ('channel_performance.won_revenue_usd', 'channel_won', 'core_won', true),
    ('channel_performance.pipeline_usd', 'channel_pipeline', 'core_created', true),
    ('sales_performance.won_amount_usd', 'sales_won', 'core_won', true),
    ('sales_performance.pipeline_created_usd', 'sales_pipeline', 'core_created', true),
    ('revenue_retention.bookings_usd', 'retention_bookings', 'core_won', true),
] -%}
{%- for model_name in attribution_all_models() -%}
    {%- do money.append((
        'channel_performance.attributed_revenue_' ~ model_name ~ '_usd',
        'channel_attributed_' ~ model_name,
        'core_won',
        false
    )) -%}
{%- endfor -%}

with

opportunities as (
    {{ marts_opportunities_with_unconverted() }}
),

{#- the core's won revenue by close month and pipeline by creation month #}
{%- for cte, period_column, condition in [
    ('core_won', 'close_date', 'is_won'),
    ('core_created', 'created_at', 'true'),
] %}

{{ cte }} as (
    select
        {{ kpi_period_start('month', period_column) }} as month_start,
        {{ kpi_money_sum('amount_usd', 'is_unconverted') }} as amount_usd,
        {{ kpi_unconverted_count('is_unconverted') }} as unconverted
    from opportunities
    where {{ condition }}
    group by {{ kpi_period_start('month', period_column) }}
),
{%- endfor %}

{#- A mart's month: null as soon as one of its rows counts an unconverted amount. #}
{%- set mart_months = [
    ('channel_won', 'kpi_channel_performance', 'won_revenue_usd', 'unconverted_won_opportunities'),
    ('channel_pipeline', 'kpi_channel_performance', 'pipeline_usd',
        'unconverted_created_opportunities'),
    ('sales_won', 'kpi_sales_performance', 'won_amount_usd', 'unconverted_won_opportunities'),
    ('sales_pipeline', 'kpi_sales_performance', 'pipeline_created_usd',
        'unconverted_created_opportunities'),
    ('retention_bookings', 'kpi_revenue_retention', 'bookings_usd',
        'unconverted_won_opportunities'),
] -%}
{%- for model_name in attribution_all_models() -%}
    {%- do mart_months.append((
        'channel_attributed_' ~ model_name,
        'kpi_channel_performance',
        'attributed_revenue_' ~ model_name ~ '_usd',
        'unconverted_attributed_opportunities'
    )) -%}
{%- endfor %}

{% for cte, mart, value, unconverted in mart_months -%}
{{ cte }} as (
    select
        month_start,
        case
            when sum({{ unconverted }}) > 0 then null else sum({{ value }})
        end as amount_usd,
        sum({{ unconverted }}) as unconverted,
        sum(
            case when ({{ value }} is null) != ({{ unconverted }} > 0) then 1 else 0 end
        ) as inconsistent_rows
    from {{ ref(mart) }}
    group by month_start
),

{% endfor %}

people as (
    select sum(case when became_mql_at is not null then 1 else 0 end) as mql_count
    from {{ ref('dim_person') }}
),

{#- spend: null on both sides when a spend has no exchange rate (docs: ad_spend_currency) #}
spend as (
    select {{ kpi_money_sum('spend_usd', 'spend_usd is null') }} as spend_usd
    from {{ ref('fct_ad_spend') }}
),

channel_performance as (
    select
        {{ kpi_money_sum('spend_usd', 'spend_usd is null') }} as spend_usd,
        sum(mqls) as mql_count
    from {{ ref('kpi_channel_performance') }}
),

sales_performance as (
    select
        sum(won_count) as won_count,
        sum(lost_count) as lost_count
    from {{ ref('kpi_sales_performance') }}
),

opportunity_counts as (
    select
        sum(case when is_won then 1 else 0 end) as won_count,
        sum(case when is_lost then 1 else 0 end) as lost_count
    from opportunities
),

lead_sla as (
    select
        sum(mqls) as mql_count,
        sum(within_sla_mqls + breached_sla_mqls + pending_sla_mqls) as sla_mql_count
    from {{ ref('kpi_lead_sla') }}
),

{# A month without a row on one side has nothing there: 0. #}
money_differences as (
    {% for total_name, mart_cte, core_cte, compare_counts in money -%}
    select
        total_name,
        month_start,
        mart_usd - core_usd as difference
    from (
        select
            '{{ total_name }}' as total_name,
            coalesce({{ mart_cte }}.month_start, {{ core_cte }}.month_start) as month_start,
            {{ marts_zero_if_no_row(mart_cte, 'amount_usd') }} as mart_usd,
            {{ marts_zero_if_no_row(core_cte, 'amount_usd') }} as core_usd,
            coalesce({{ mart_cte }}.unconverted, 0) as mart_unconverted,
            coalesce({{ core_cte }}.unconverted, 0) as core_unconverted,
            coalesce({{ mart_cte }}.inconsistent_rows, 0) as inconsistent_rows
        from {{ mart_cte }}
        full outer join {{ core_cte }}
            on {{ mart_cte }}.month_start = {{ core_cte }}.month_start
    ) as compared
    where
        (mart_usd is null) != (core_usd is null)
        or abs(mart_usd - core_usd) > 0.005
        or inconsistent_rows > 0
        {% if compare_counts -%}
        or mart_unconverted != core_unconverted
        {%- endif %}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

count_differences as (
    select
        'channel_performance.spend_usd' as total_name,
        case
            when channel_performance.spend_usd is null and spend.spend_usd is null then 0
            when channel_performance.spend_usd is null or spend.spend_usd is null then 1
            else channel_performance.spend_usd - spend.spend_usd
        end as difference
    from channel_performance cross join spend
    union all
    select
        'channel_performance.mqls' as total_name,
        channel_performance.mql_count - people.mql_count as difference
    from channel_performance cross join people
    union all
    select
        'sales_performance.won_count + lost_count' as total_name,
        (sales_performance.won_count + sales_performance.lost_count)
        - (opportunity_counts.won_count + opportunity_counts.lost_count) as difference
    from sales_performance cross join opportunity_counts
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

select
    total_name,
    month_start,
    difference
from money_differences
union all
select
    total_name,
    cast(null as date) as month_start,
    difference
from count_differences
where abs(coalesce(difference, 0)) > 0.005
