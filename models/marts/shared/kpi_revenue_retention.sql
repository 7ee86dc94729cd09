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
        {{ kpi_money_sum('spend_usd', 'spend_usd is null') }} as ad_spend_usd
    from channel_performance
    group by month_start
),

monthly as (
    select
        months.month_start,
        {#- a month without closed opportunities has 0 bookings; a null sum stays null #}
        {{- marts_part_measures(
            'bookings',
            [
                'renewals_won', 'renewals_lost', 'unconverted_won_opportunities',
                'unconverted_lost_renewals'
            ],
            [
                'bookings_usd', 'new_bookings_usd', 'expansion_bookings_usd', 'renewal_won_usd',
                'renewal_lost_usd'
            ]
        ) }},
        {{- marts_part_measures('new_customers', ['new_customers', 'new_paid_customers']) }},
        {{- marts_part_measures('churned', ['churned_customers']) }},
        {{- marts_part_measures('customers_at_start', ['customers_at_start']) }},
        {{- marts_part_measures('spend', [], ['ad_spend_usd']) }},
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
        ) as acquisition_cost_ttm_known_usd,
        count(*) over (order by month_start rows between 11 preceding and current row)
        - count(acquisition_cost_usd) over (
            order by month_start rows between 11 preceding and current row
        ) as unknown_cost_months_ttm,
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
        {#- a month whose ad spend has no exchange rate makes the trailing cost unknown #}
        case
            when unknown_cost_months_ttm > 0 then null else acquisition_cost_ttm_known_usd
        end as acquisition_cost_ttm_usd,
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

clv as (
    select
        *,
        renewal_won_usd + renewal_lost_usd as renewal_due_usd,
        {{ gross_margin }} as gross_margin,
        {{ safe_divide('arpa_monthly_usd * ' ~ gross_margin, 'monthly_logo_churn_ttm') }} as clv_usd
    from metrics
),

final as (
    select
        {{- marts_typed_columns([
            ('month_start', 'date'),
            ('bookings_usd', 'double'),
            ('new_bookings_usd', 'double'),
            ('expansion_bookings_usd', 'double'),
            ('renewal_won_usd', 'double'),
            ('renewal_lost_usd', 'double'),
            ('renewal_due_usd', 'double'),
            ('renewals_won', 'bigint'),
            ('renewals_lost', 'bigint'),
            ('unconverted_won_opportunities', 'bigint'),
            ('unconverted_lost_renewals', 'bigint'),
            ('new_bookings_prev_month_usd', 'double'),
            ('new_bookings_3m_usd', 'double'),
            ('new_bookings_prev_3m_usd', 'double'),
            ('new_bookings_prev_year_month_usd', 'double'),
            ('new_bookings_growth_mom', 'double'),
            ('new_bookings_growth_qoq', 'double'),
            ('new_bookings_growth_yoy', 'double'),
            ('customers_at_start', 'bigint'),
            ('new_customers', 'bigint'),
            ('new_paid_customers', 'bigint'),
            ('churned_customers', 'bigint'),
            ('logo_churn_rate', 'double'),
            ('gross_revenue_retention', 'double'),
            ('net_revenue_retention', 'double'),
            ('ad_spend_usd', 'double'),
            ('sales_cost_usd', 'double'),
            ('acquisition_cost_usd', 'double'),
            ('cac_usd', 'double'),
            ('paid_cac_usd', 'double'),
            ('bookings_ttm_usd', 'double'),
            ('new_customers_ttm', 'bigint'),
            ('churned_customers_ttm', 'bigint'),
            ('customer_months_ttm', 'bigint'),
            ('cac_ttm_usd', 'double'),
            ('arpa_monthly_usd', 'double'),
            ('monthly_logo_churn_ttm', 'double'),
            ('gross_margin', 'double'),
            ('clv_usd', 'double'),
        ]) }},
        cast({{ safe_divide('clv_usd', 'cac_ttm_usd') }} as {{ type_double() }}) as clv_to_cac
    from clv
)

select * from final
