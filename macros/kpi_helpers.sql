{#-
    KPI-layer helpers (owned by the KPI marts). Engine-specific SQL lives only here.
-#}

{#-
    Settings of the KPI layer that are not (yet) declared in dbt_project.yml: one place for their
    defaults, each overridable with `--vars` under the same name.
      kpi_gross_margin            0.75   gross margin used by CLV (typical B2B SaaS)
      kpi_sales_cost_monthly_usd  0      fully loaded sales cost per month added to CAC
      kpi_attribution_model       linear attribution model behind ROAS / ROI / paid CAC
      kpi_open_pipeline_stale_days 30    unused by the marts, kept for the scorecard notes
-#}
{% macro kpi_var(name) -%}
    {%- set defaults = {
        'kpi_gross_margin': 0.75,
        'kpi_sales_cost_monthly_usd': 0,
        'kpi_attribution_model': 'linear',
    } -%}
    {%- if name not in defaults -%}
        {{ exceptions.raise_compiler_error("kpi_var: unknown KPI setting '" ~ name ~ "'") }}
    {%- endif -%}
    {{- return(var(name, defaults[name])) -}}
{%- endmacro %}


{#-
    Continuous percentile (linear interpolation) of expr as an aggregate; p in [0, 1].
    DuckDB: quantile_cont; PostgreSQL: ordered-set percentile_cont; Spark: percentile.
-#}
{% macro kpi_percentile(expr, p) -%}
    {{ return(adapter.dispatch('kpi_percentile', 'revops')(expr, p)) }}
{%- endmacro %}

{% macro default__kpi_percentile(expr, p) -%}
    percentile_cont({{ p }}) within group (order by {{ expr }})
{%- endmacro %}

{% macro duckdb__kpi_percentile(expr, p) -%}
    quantile_cont({{ expr }}, {{ p }})
{%- endmacro %}

{% macro spark__kpi_percentile(expr, p) -%}
    percentile({{ expr }}, {{ p }})
{%- endmacro %}


{#- Fractional days from start_ts to end_ts (seconds / 86400), as a float. -#}
{% macro kpi_days_between(start_ts, end_ts) -%}
    (cast({{ dbt.datediff(start_ts, end_ts, 'second') }} as {{ type_double() }}) / 86400.0)
{%- endmacro %}


{#- Fractional hours from start_ts to end_ts, as a float. -#}
{% macro kpi_hours_between(start_ts, end_ts) -%}
    (cast({{ dbt.datediff(start_ts, end_ts, 'second') }} as {{ type_double() }}) / 3600.0)
{%- endmacro %}


{#- First day (date) of the period of a timestamp or date: month, quarter, week (ISO, Monday). -#}
{% macro kpi_period_start(period, expr) -%}
    cast({{ dbt.date_trunc(period, expr) }} as date)
{%- endmacro %}


{#- The exact numeric type of attribution credits (sums of credits are exact). -#}
{% macro kpi_credit_type() -%}
    {{ return(adapter.dispatch('kpi_credit_type', 'revops')()) }}
{%- endmacro %}

{% macro default__kpi_credit_type() -%}
    decimal(38, 12)
{%- endmacro %}

{#- The type a conversion's credits are summed and balanced in (fct_attribution): the credit's
    12 places with room for a sum of a few credits, and no more digits, so that a sum or a
    difference of two of them keeps its 12 places on Spark too (decimal(38, 12) arithmetic
    there needs 39 digits and loses one place). -#}
{% macro credit_residual_type() -%}
    decimal(20, 12)
{%- endmacro %}


{#-
    Account segment from the number of employees (the usual B2B cut):
    SMB < 100 <= Mid-Market < 1000 <= Enterprise; no employee count: Unknown.
-#}
{% macro kpi_account_segment(employees) -%}
    case
        when {{ employees }} is null then 'Unknown'
        when {{ employees }} < 100 then 'SMB'
        when {{ employees }} < 1000 then 'Mid-Market'
        else 'Enterprise'
    end
{%- endmacro %}


{#-
    Money never shows 0 for "unknown" (docs: money_conversion). An opportunity amount is
    unconverted when it exists but has no value in the reporting currency (no exchange rate:
    fx_rate_source 'none'); a missing amount is no money and adds nothing, as in Salesforce
    reports.
-#}
{% macro kpi_is_unconverted(amount, amount_usd) -%}
    ({{ amount }} is not null and {{ amount_usd }} is null)
{%- endmacro %}


{#-
    Aggregate: sum of amount_expr over the group's rows where condition holds; null when one
    of those rows is unconverted (unconverted_expr), 0 over no amount at all (no deal closed =
    0 revenue, a truth, not an unknown).
-#}
{% macro kpi_money_sum(amount_expr, unconverted_expr, condition='1 = 1') -%}
    case
        when sum(case when {{ condition }} and {{ unconverted_expr }} then 1 else 0 end) > 0
            then null
        else coalesce(sum(case when {{ condition }} then {{ amount_expr }} end), 0)
    end
{%- endmacro %}


{#- Aggregate: count of the group's unconverted rows where condition holds. -#}
{% macro kpi_unconverted_count(unconverted_expr, condition='1 = 1') -%}
    sum(case when {{ condition }} and {{ unconverted_expr }} then 1 else 0 end)
{%- endmacro %}
