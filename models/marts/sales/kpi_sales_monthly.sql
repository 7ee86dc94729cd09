{#-
    Company-wide sales KPIs: one row per month, kpi_sales_performance (month x owner x segment)
    rolled up by macros/kpi_sales_rollup.sql (sums of the stored counts and amounts, the shared
    ratio formulas applied to the sums).
-#}
{{ kpi_sales_rollup(ref('kpi_sales_performance'), ['month_start']) }}
