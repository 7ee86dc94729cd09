{#-
    An account becomes a customer with its first won New Business opportunity (the unknown
    account '-1' never does). Selects columns of the won New Business opportunities of
    opportunities (a relation with fct_opportunities' columns) and win_rank, their order per
    account (won_at, then close_date, then opportunity_id): win_rank = 1 is the account's first
    win. The marts that count customers (kpi_channel_performance, kpi_channel_attribution,
    kpi_revenue_retention, kpi_weekly_scorecard) rank the wins with it.
-#}
{% macro marts_ranked_new_business_wins(opportunities, columns) -%}
    select
        {%- for column in columns %}
        {{ column }},
        {%- endfor %}
        row_number() over (
            partition by account_id order by won_at, close_date, opportunity_id
        ) as win_rank
    from {{ opportunities }}
    where is_won and opportunity_type = 'New Business' and account_id != '-1'
{%- endmacro %}

{#-
    fct_opportunities as the KPI marts read it: every column and is_unconverted, an amount
    without value in the reporting currency (kpi_is_unconverted; docs: money_conversion). The
    body of a CTE.
-#}
{% macro marts_opportunities_with_unconverted() -%}
    select
        *,
        {{ kpi_is_unconverted('amount', 'amount_usd') }} as is_unconverted
    from {{ ref('fct_opportunities') }}
{%- endmacro %}
