{#-
    Revenue growth and retention: one row per month (close_date month of won and lost
    opportunities), from the first closed opportunity's month to the as_of month (or to the
    last close month, when a closed opportunity is dated after as_of: a timeline finding, kept
    so that bookings still add up to won revenue).
      bookings      won New Business / Expansion / Renewal amounts; growth of new bookings MoM
                    (vs the previous month), QoQ (trailing 3 months vs the 3 before), YoY (vs the
                    same month a year earlier)
      customers     an account is a customer from its first win; it churns with a lost renewal
                    (closed in the month, no won renewal that month) and stays churned until it
                    wins again; customers_at_start = customers at the first day of the month
      retention     GRR = won renewal amount / renewal amount due (won + lost renewals closed in
                    the month); NRR = (won renewals + won expansions) / renewal amount due
      money         amounts in the reporting currency (amount_usd); a sum over a set holding an
                    amount without exchange rate is null, never 0, and the unconverted_* counts
                    say how many (docs: money_conversion); trailing sums too
      CLV           trailing-12-month bookings / 12 / customers at start (ARPA per month) x
                    gross margin (kpi_var kpi_gross_margin, default 0.75) / trailing-12-month
                    monthly logo churn; CAC = (ad spend + kpi_sales_cost_monthly_usd) / new
                    customers, trailing 12 months; paid CAC = ad spend / new customers whose
                    first touch channel is paid.
-#}
{%- set gross_margin = kpi_var('kpi_gross_margin') -%}
{%- set sales_cost = kpi_var('kpi_sales_cost_monthly_usd') -%}

with

opportunities as (
    select * from {{ ref('fct_opportunities') }}
),

channels as (
    select * from {{ ref('dim_channel') }}
),

channel_performance as (
    select * from {{ ref('kpi_channel_performance') }}
),

spine as (
    select * from {{ ref('metricflow_time_spine') }}
),

closed as (
    select
        opportunities.opportunity_id,
        opportunities.account_id,
        opportunities.opportunity_type,
        opportunities.is_won,
        opportunities.is_lost,
        opportunities.won_at,
        opportunities.close_date,
        {{ kpi_period_start('month', 'opportunities.close_date') }} as close_month,
        opportunities.amount_usd,
        {{ kpi_is_unconverted('opportunities.amount', 'opportunities.amount_usd') }}
            as is_unconverted,
        coalesce(channels.is_paid, false) as is_paid_channel
    from opportunities
    left join channels
        on opportunities.first_touch_channel = channels.channel
    where opportunities.is_closed
),

months as (
    select spine.date_day as month_start
    from spine
    where
        spine.date_day = {{ kpi_period_start('month', 'spine.date_day') }}
        and spine.date_day >= (select min(closed.close_month) from closed)
        and spine.date_day <= greatest(
            {{ kpi_period_start('month', as_of_timestamp()) }},
            (select max(closed.close_month) from closed)
        )
),

first_wins as (
    select
        account_id,
        close_month,
        is_paid_channel
    from (
        {{ marts_ranked_new_business_wins(
            'closed', ['account_id', 'close_month', 'is_paid_channel']
        ) }}
    ) as ranked
    where win_rank = 1
),

{# Per account and month: did it win anything, and how did its renewals end. #}
account_months as (
    select
        account_id,
        close_month,
        max(case when is_won then 1 else 0 end) as has_win,
        max(case when is_won and opportunity_type = 'Renewal' then 1 else 0 end)
            as has_won_renewal,
        max(case when is_lost and opportunity_type = 'Renewal' then 1 else 0 end)
            as has_lost_renewal
    from closed
    where account_id != '-1'
    group by account_id, close_month
),

churn_events as (
    select
        account_id,
        close_month
    from account_months
    where has_lost_renewal = 1 and has_won_renewal = 0
),

{# Customer status at the start of each month: the latest win vs the latest churn before. #}
wins_before as (
    select
        months.month_start,
        account_months.account_id,
        max(account_months.close_month) as last_win_month
    from months
    inner join account_months
        on
            months.month_start > account_months.close_month
            and account_months.has_win = 1
    group by months.month_start, account_months.account_id
),

churns_before as (
    select
        months.month_start,
        churn_events.account_id,
        max(churn_events.close_month) as last_churn_month
    from months
    inner join churn_events
        on months.month_start > churn_events.close_month
    group by months.month_start, churn_events.account_id
),

customers_at_start as (
    select
        wins_before.month_start,
        sum(
            case
                when
                    churns_before.last_churn_month is null
                    or wins_before.last_win_month > churns_before.last_churn_month
                    then 1
                else 0
            end
        ) as customers_at_start
    from wins_before
    left join churns_before
        on
            wins_before.month_start = churns_before.month_start
            and wins_before.account_id = churns_before.account_id
    group by wins_before.month_start
),

bookings as (
    select
        close_month as month_start,
        {{ kpi_money_sum('amount_usd', 'is_unconverted', 'is_won') }} as bookings_usd,
        {{ kpi_money_sum(
            'amount_usd', 'is_unconverted', "is_won and opportunity_type = 'New Business'"
        ) }} as new_bookings_usd,
        {{ kpi_money_sum(
            'amount_usd', 'is_unconverted', "is_won and opportunity_type = 'Expansion'"
        ) }} as expansion_bookings_usd,
        {{ kpi_money_sum(
            'amount_usd', 'is_unconverted', "is_won and opportunity_type = 'Renewal'"
        ) }} as renewal_won_usd,
        {{ kpi_money_sum(
            'amount_usd', 'is_unconverted', "is_lost and opportunity_type = 'Renewal'"
        ) }} as renewal_lost_usd,
        {{ kpi_unconverted_count('is_unconverted', 'is_won') }} as unconverted_won_opportunities,
        {{ kpi_unconverted_count('is_unconverted', "is_lost and opportunity_type = 'Renewal'") }}
            as unconverted_lost_renewals,
        sum(case when is_won and opportunity_type = 'Renewal' then 1 else 0 end)
            as renewals_won,
        sum(case when is_lost and opportunity_type = 'Renewal' then 1 else 0 end)
            as renewals_lost
    from closed
    group by close_month
),

new_customers as (
    select
        close_month as month_start,
        count(*) as new_customers,
        sum(case when is_paid_channel then 1 else 0 end) as new_paid_customers
    from first_wins
    group by close_month
),

churned as (
    select
        close_month as month_start,
        count(*) as churned_customers
    from churn_events
    group by close_month
),

spend as (
    select
        month_start,
        sum(spend_usd) as ad_spend_usd
    from channel_performance
    group by month_start
),

monthly as (
    select
        months.month_start,
        {#- a month without closed opportunities has 0 bookings; a null sum stays null #}
        {% for column in [
            'bookings_usd', 'new_bookings_usd', 'expansion_bookings_usd', 'renewal_won_usd',
            'renewal_lost_usd'
        ] -%}
        {{ marts_zero_if_no_row('bookings', column) }} as {{ column }},
        {% endfor -%}
        coalesce(bookings.renewals_won, 0) as renewals_won,
        coalesce(bookings.renewals_lost, 0) as renewals_lost,
        coalesce(bookings.unconverted_won_opportunities, 0) as unconverted_won_opportunities,
        coalesce(bookings.unconverted_lost_renewals, 0) as unconverted_lost_renewals,
        coalesce(new_customers.new_customers, 0) as new_customers,
        coalesce(new_customers.new_paid_customers, 0) as new_paid_customers,
        coalesce(churned.churned_customers, 0) as churned_customers,
        coalesce(customers_at_start.customers_at_start, 0) as customers_at_start,
        coalesce(spend.ad_spend_usd, 0) as ad_spend_usd,
        cast({{ sales_cost }} as {{ type_double() }}) as sales_cost_usd
    from months
    {{- marts_join_each('months', [
        'bookings', 'new_customers', 'churned', 'customers_at_start', 'spend',
    ], ['month_start']) }}
),

-- CAC's cost: ad spend and sales cost, summed once here for every reader of the mart
costed as (
    select
        *,
        ad_spend_usd + sales_cost_usd as acquisition_cost_usd
    from monthly
),

windowed as (
    select
        *,
        {% for months_back in [1, 2, 3, 4, 5, 12] -%}
        lag(new_bookings_usd, {{ months_back }}) over (order by month_start)
            as new_bookings_lag_{{ months_back }}_usd,
        {% endfor -%}
        sum(bookings_usd) over (order by month_start rows between 11 preceding and current row)
            as bookings_ttm_known_usd,
        sum(unconverted_won_opportunities) over (
            order by month_start rows between 11 preceding and current row
        ) as unconverted_won_ttm,
        sum(churned_customers) over (
            order by month_start rows between 11 preceding and current row
        ) as churned_customers_ttm,
        sum(customers_at_start) over (
            order by month_start rows between 11 preceding and current row
        ) as customer_months_ttm,
        sum(new_customers) over (order by month_start rows between 11 preceding and current row)
            as new_customers_ttm,
        sum(acquisition_cost_usd) over (
            order by month_start rows between 11 preceding and current row
        ) as acquisition_cost_ttm_usd,
        count(*) over (order by month_start rows between 11 preceding and current row)
            as months_in_ttm
    from costed
),

growth_bases as (
    select
        *,
        {#- a trailing sum over a month with an unconverted win is unknown #}
        case
            when unconverted_won_ttm > 0 then null else bookings_ttm_known_usd
        end as bookings_ttm_usd,
        new_bookings_lag_1_usd as new_bookings_prev_month_usd,
        new_bookings_lag_12_usd as new_bookings_prev_year_month_usd,
        new_bookings_usd + new_bookings_lag_1_usd + new_bookings_lag_2_usd
            as new_bookings_3m_usd,
        new_bookings_lag_3_usd + new_bookings_lag_4_usd + new_bookings_lag_5_usd
            as new_bookings_prev_3m_usd
    from windowed
),

metrics as (
    select
        *,
        {{ safe_divide(
            'new_bookings_usd - new_bookings_prev_month_usd', 'new_bookings_prev_month_usd'
        ) }} as new_bookings_growth_mom,
        {{ safe_divide(
            'new_bookings_3m_usd - new_bookings_prev_3m_usd', 'new_bookings_prev_3m_usd'
        ) }} as new_bookings_growth_qoq,
        {{ safe_divide(
            'new_bookings_usd - new_bookings_prev_year_month_usd',
            'new_bookings_prev_year_month_usd'
        ) }} as new_bookings_growth_yoy,
        {{ safe_divide('churned_customers', 'customers_at_start') }} as logo_churn_rate,
        {{ safe_divide('renewal_won_usd', 'renewal_won_usd + renewal_lost_usd') }}
            as gross_revenue_retention,
        {{ safe_divide(
            'renewal_won_usd + expansion_bookings_usd', 'renewal_won_usd + renewal_lost_usd'
        ) }} as net_revenue_retention,
        {{ safe_divide('acquisition_cost_usd', 'new_customers') }} as cac_usd,
        {{ safe_divide('ad_spend_usd', 'new_paid_customers') }} as paid_cac_usd,
        {{ safe_divide('acquisition_cost_ttm_usd', 'new_customers_ttm') }} as cac_ttm_usd,
        {{ safe_divide('bookings_ttm_usd', 'customer_months_ttm') }} as arpa_monthly_usd,
        {{ safe_divide('churned_customers_ttm', 'customer_months_ttm') }}
            as monthly_logo_churn_ttm
    from growth_bases
),

final as (
    select
        cast(month_start as date) as month_start,
        cast(bookings_usd as {{ type_double() }}) as bookings_usd,
        cast(new_bookings_usd as {{ type_double() }}) as new_bookings_usd,
        cast(expansion_bookings_usd as {{ type_double() }}) as expansion_bookings_usd,
        cast(renewal_won_usd as {{ type_double() }}) as renewal_won_usd,
        cast(renewal_lost_usd as {{ type_double() }}) as renewal_lost_usd,
        cast(renewal_won_usd + renewal_lost_usd as {{ type_double() }}) as renewal_due_usd,
        cast(renewals_won as {{ dbt.type_bigint() }}) as renewals_won,
        cast(renewals_lost as {{ dbt.type_bigint() }}) as renewals_lost,
        cast(unconverted_won_opportunities as {{ dbt.type_bigint() }})
            as unconverted_won_opportunities,
        cast(unconverted_lost_renewals as {{ dbt.type_bigint() }}) as unconverted_lost_renewals,
        cast(new_bookings_prev_month_usd as {{ type_double() }})
            as new_bookings_prev_month_usd,
        cast(new_bookings_3m_usd as {{ type_double() }}) as new_bookings_3m_usd,
        cast(new_bookings_prev_3m_usd as {{ type_double() }}) as new_bookings_prev_3m_usd,
        cast(new_bookings_prev_year_month_usd as {{ type_double() }})
            as new_bookings_prev_year_month_usd,
        cast(new_bookings_growth_mom as {{ type_double() }}) as new_bookings_growth_mom,
        cast(new_bookings_growth_qoq as {{ type_double() }}) as new_bookings_growth_qoq,
        cast(new_bookings_growth_yoy as {{ type_double() }}) as new_bookings_growth_yoy,
        cast(customers_at_start as {{ dbt.type_bigint() }}) as customers_at_start,
        cast(new_customers as {{ dbt.type_bigint() }}) as new_customers,
        cast(new_paid_customers as {{ dbt.type_bigint() }}) as new_paid_customers,
        cast(churned_customers as {{ dbt.type_bigint() }}) as churned_customers,
        cast(logo_churn_rate as {{ type_double() }}) as logo_churn_rate,
        cast(gross_revenue_retention as {{ type_double() }}) as gross_revenue_retention,
        cast(net_revenue_retention as {{ type_double() }}) as net_revenue_retention,
        cast(ad_spend_usd as {{ type_double() }}) as ad_spend_usd,
        cast(sales_cost_usd as {{ type_double() }}) as sales_cost_usd,
        cast(acquisition_cost_usd as {{ type_double() }}) as acquisition_cost_usd,
        cast(cac_usd as {{ type_double() }}) as cac_usd,
        cast(paid_cac_usd as {{ type_double() }}) as paid_cac_usd,
        cast(bookings_ttm_usd as {{ type_double() }}) as bookings_ttm_usd,
        cast(new_customers_ttm as {{ dbt.type_bigint() }}) as new_customers_ttm,
        cast(churned_customers_ttm as {{ dbt.type_bigint() }}) as churned_customers_ttm,
        cast(customer_months_ttm as {{ dbt.type_bigint() }}) as customer_months_ttm,
        cast(cac_ttm_usd as {{ type_double() }}) as cac_ttm_usd,
        cast(arpa_monthly_usd as {{ type_double() }}) as arpa_monthly_usd,
        cast(monthly_logo_churn_ttm as {{ type_double() }}) as monthly_logo_churn_ttm,
        cast({{ gross_margin }} as {{ type_double() }}) as gross_margin,
        cast(
            {{ safe_divide('arpa_monthly_usd * ' ~ gross_margin, 'monthly_logo_churn_ttm') }}
            as {{ type_double() }}
        ) as clv_usd,
        cast(
            {{ safe_divide(
                safe_divide('arpa_monthly_usd * ' ~ gross_margin, 'monthly_logo_churn_ttm'),
                'cac_ttm_usd'
            ) }}
            as {{ type_double() }}
        ) as clv_to_cac
    from metrics
)

select * from final
