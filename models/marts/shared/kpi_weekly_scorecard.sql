{#-
    The weekly alignment scorecard: one row per ISO week (Monday start) x metric, the handful
    of shared numbers the joint sales and marketing meeting looks at, with the previous week,
    the week-over-week change and the target valid that week (seed targets: latest valid_from
    on or before the week). Weeks run from the first MQL or opportunity to the as_of week (the
    as_of week is partial). Metrics:
      mqls, sqls                   people reaching the stage in the week (dim_person)
      pipeline_created_usd         amount of opportunities created in the week
      won_revenue_usd              amount of opportunities won, by close date
      win_rate                     won / (won + lost) opportunities closed in the week
      median_speed_to_lead_hours   median speed to lead of the week's worked MQLs
      sla_compliance_rate          within SLA / (within + breached) of the week's MQLs
      cac_usd                      trailing 4 weeks: (ad spend + sales cost) / new customers
      dq_failures                  failed checks of the week's last quality run, a run
                                   belonging to the last complete week before the as_of it
                                   checked (data_as_of; checked_at for rows written before
                                   that column existed): the week the run's report shows
                                   (stg_revops_quality__dq_check_results; null before the
                                   first quality run, the table then absent)
    Money is in the reporting currency (amount_usd): a week whose set holds an amount without
    exchange rate has a null value, never 0, and unconverted_opportunities says how many
    (docs: money_conversion); it is 0 for the other metrics.
-#}
{%- set sales_cost = kpi_var('kpi_sales_cost_monthly_usd') -%}
{#- money labels name the reporting currency the amounts are in -#}
{%- set cur = reporting_currency() -%}
{#- (metric, label, higher is better, column counting its unconverted amounts) -#}
{%- set metrics = [
    ('mqls', 'MQLs', true, none),
    ('sqls', 'SQLs', true, none),
    ('pipeline_created_usd', 'Pipeline created (' ~ cur ~ ')', true, 'unconverted_created_opportunities'),
    ('won_revenue_usd', 'Won revenue (' ~ cur ~ ')', true, 'unconverted_won_opportunities'),
    ('win_rate', 'Win rate (count)', true, none),
    ('median_speed_to_lead_hours', 'Median speed to lead (hours)', false, none),
    ('sla_compliance_rate', 'Lead SLA compliance', true, none),
    ('cac_usd', 'CAC, trailing 4 weeks (' ~ cur ~ ')', false, none),
    ('dq_failures', 'Data-quality check failures', false, none),
] -%}
{#- the week a quality run reports on: the last complete week before the as_of it checked
    (checked_at for older rows), as the weekly report reads it -#}
{%- set dq_time = 'coalesce(check_history.data_as_of, check_history.checked_at)' -%}

with

people as (
    select * from {{ ref('dim_person') }}
    where not is_unknown_member
),

opportunities as (
    {{ marts_opportunities_with_unconverted() }}
),

follow_up as (
    select * from {{ ref('fct_lead_follow_up') }}
),

ad_spend as (
    select * from {{ ref('fct_ad_spend') }}
),

targets as (
    select * from {{ ref('targets') }}
),

spine as (
    select * from {{ ref('metricflow_time_spine') }}
),

{#- empty before the first quality run (the staging model reads it with contract_source) #}

check_history as (
    select * from {{ ref('stg_revops_quality__dq_check_results') }}
),

weeks as (
    select spine.date_day as week_start
    from spine
    where
        spine.date_day = {{ kpi_period_start('week', 'spine.date_day') }}
        and spine.date_day >= (
            select min(starts.first_week)
            from (
                select min({{ kpi_period_start('week', 'became_mql_at') }}) as first_week
                from people
                union all
                select min({{ kpi_period_start('week', 'created_at') }}) as first_week
                from opportunities
            ) as starts
        )
        and spine.date_day <= {{ kpi_period_start('week', as_of_timestamp()) }}
),

{#- mql_weeks, sql_weeks: people reaching the stage in the week #}
{%- for stage in ['mql', 'sql'] %}

{{ stage }}_weeks as (
    select
        {{ kpi_period_start('week', 'became_' ~ stage ~ '_at') }} as week_start,
        count(*) as {{ stage }}s
    from people
    where became_{{ stage }}_at is not null
    group by {{ kpi_period_start('week', 'became_' ~ stage ~ '_at') }}
),
{%- endfor %}

created_weeks as (
    select
        {{ kpi_period_start('week', 'created_at') }} as week_start,
        {{ kpi_money_sum('amount_usd', 'is_unconverted') }} as pipeline_created_usd,
        {{ kpi_unconverted_count('is_unconverted') }} as unconverted_created_opportunities
    from opportunities
    group by {{ kpi_period_start('week', 'created_at') }}
),

closed_weeks as (
    select
        {{ kpi_period_start('week', 'close_date') }} as week_start,
        {{ kpi_money_sum('amount_usd', 'is_unconverted', 'is_won') }} as won_revenue_usd,
        {{ kpi_unconverted_count('is_unconverted', 'is_won') }} as unconverted_won_opportunities,
        sum(case when is_won then 1 else 0 end) as won_count,
        sum(case when is_lost then 1 else 0 end) as lost_count
    from opportunities
    where is_closed
    group by {{ kpi_period_start('week', 'close_date') }}
),

first_wins as (
    {{ marts_ranked_new_business_wins('opportunities', ['close_date']) }}
),

customer_weeks as (
    select
        {{ kpi_period_start('week', 'close_date') }} as week_start,
        count(*) as new_customers
    from first_wins
    where win_rank = 1
    group by {{ kpi_period_start('week', 'close_date') }}
),

spend_weeks as (
    select
        {{ kpi_period_start('week', 'date_day') }} as week_start,
        {{ kpi_money_sum('spend_usd', 'spend_usd is null') }} as ad_spend_usd
    from ad_spend
    group by {{ kpi_period_start('week', 'date_day') }}
),

follow_up_weeks as (
    select
        mql_week as week_start,
        {{ kpi_percentile('speed_to_lead_hours', 0.5) }} as median_speed_to_lead_hours,
        sum(case when sla_status = 'within' then 1 else 0 end) as within_sla_mqls,
        sum(case when sla_status = 'breached' then 1 else 0 end) as breached_sla_mqls
    from follow_up
    group by mql_week
),

check_runs as (
    select
        run_id,
        max(checked_at) as run_at
    from check_history
    group by run_id
),

checks_by_week as (
    select
        check_history.run_id,
        check_history.is_success,
        check_runs.run_at,
        {{ dbt.dateadd('day', -7, kpi_period_start('week', dq_time)) }} as week_start
    from check_history
    inner join check_runs
        on check_history.run_id = check_runs.run_id
),

dq_weeks as (
    select
        week_start,
        sum(case when is_success then 0 else 1 end) as dq_failures
    from (
        select
            week_start,
            is_success,
            rank() over (
                partition by week_start
                order by run_at desc, run_id desc
            ) as run_rank
        from checks_by_week
    ) as ranked
    where run_rank = 1
    group by week_start
),

weekly as (
    select
        weeks.week_start,
        {#- a week without a row in a part has 0 (a null sum stays null); every metric is
            cast to a double when unpivoted #}
        {{- marts_part_measures('mql_weeks', ['mqls'], key='week_start') }},
        {{- marts_part_measures('sql_weeks', ['sqls'], key='week_start') }},
        {{- marts_part_measures(
            'created_weeks',
            ['unconverted_created_opportunities'],
            ['pipeline_created_usd'],
            'week_start'
        ) }},
        {{- marts_part_measures(
            'closed_weeks', ['unconverted_won_opportunities'], ['won_revenue_usd'], 'week_start'
        ) }},
        {{ kpi_win_rate('closed_weeks.won_count', 'closed_weeks.lost_count') }} as win_rate,
        follow_up_weeks.median_speed_to_lead_hours,
        {{ kpi_sla_compliance(
            'follow_up_weeks.within_sla_mqls', 'follow_up_weeks.breached_sla_mqls'
        ) }} as sla_compliance_rate,
        {{ marts_zero_if_no_row('spend_weeks', 'ad_spend_usd', 'week_start') }}
        + {{ sales_cost }} * 12.0 / 52.0 as acquisition_cost_usd,
        coalesce(customer_weeks.new_customers, 0) as new_customers,
        dq_weeks.dq_failures
    from weeks
    {{- marts_join_each('weeks', [
        'mql_weeks', 'sql_weeks', 'created_weeks', 'closed_weeks', 'customer_weeks',
        'spend_weeks', 'follow_up_weeks', 'dq_weeks',
    ], ['week_start']) }}
),

trailing_4w as (
    select
        *,
        sum(acquisition_cost_usd) over (
            order by week_start rows between 3 preceding and current row
        ) as acquisition_cost_4w_usd,
        {#- a week whose ad spend has no exchange rate makes the 4-week cost unknown #}
        count(*) over (order by week_start rows between 3 preceding and current row)
        - count(acquisition_cost_usd) over (
            order by week_start rows between 3 preceding and current row
        ) as unknown_cost_weeks_4w,
        sum(new_customers) over (
            order by week_start rows between 3 preceding and current row
        ) as new_customers_4w
    from weekly
),

with_cac as (
    select
        *,
        {{ safe_divide(
            'case when unknown_cost_weeks_4w = 0 then acquisition_cost_4w_usd end',
            'new_customers_4w'
        ) }} as cac_usd
    from trailing_4w
),

unpivoted as (
    {% for metric_name, label, higher_is_better, unconverted in metrics -%}
    select
        week_start,
        '{{ metric_name }}' as metric_name,
        '{{ label }}' as metric_label,
        {{ loop.index }} as metric_order,
        {{ 'true' if higher_is_better else 'false' }} as is_higher_better,
        cast({{ metric_name }} as {{ type_double() }}) as metric_value,
        {{ unconverted if unconverted else 0 }} as unconverted_opportunities
    from with_cac
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

with_previous as (
    select
        *,
        lag(metric_value) over (partition by metric_name order by week_start) as previous_value
    from unpivoted
),

with_targets as (
    select
        with_previous.*,
        targets.target_value,
        row_number() over (
            partition by with_previous.week_start, with_previous.metric_name
            order by targets.valid_from desc
        ) as target_rank
    from with_previous
    left join targets
        on
            with_previous.metric_name = targets.metric_name
            and with_previous.week_start >= targets.valid_from
),

final as (
    select
        {{ surrogate_key(['week_start', 'metric_name']) }} as scorecard_id,
        cast(week_start as date) as week_start,
        cast(metric_name as {{ dbt.type_string() }}) as metric_name,
        cast(metric_label as {{ dbt.type_string() }}) as metric_label,
        cast(metric_order as {{ dbt.type_int() }}) as metric_order,
        is_higher_better,
        metric_value,
        cast(unconverted_opportunities as {{ dbt.type_bigint() }}) as unconverted_opportunities,
        cast(previous_value as {{ type_double() }}) as previous_value,
        cast(metric_value - previous_value as {{ type_double() }}) as wow_change,
        cast(
            {{ safe_divide('metric_value - previous_value', 'abs(previous_value)') }}
            as {{ type_double() }}
        ) as wow_change_pct,
        cast(target_value as {{ type_double() }}) as target_value,
        cast({{ safe_divide('metric_value', 'target_value') }} as {{ type_double() }})
            as target_attainment,
        case
            when metric_value is null or target_value is null then cast(null as boolean)
            when is_higher_better then metric_value >= target_value
            else metric_value <= target_value
        end as is_on_target,
        week_start = {{ kpi_period_start('week', as_of_timestamp()) }} as is_partial_week
    from with_targets
    where target_rank = 1
)

select * from final
