{#-
    Sales KPIs per rep: one row per month x opportunity owner, kpi_sales_performance (month x
    owner x segment) rolled up by macros/kpi_sales_rollup.sql (sums of the stored counts and
    amounts, the shared ratio formulas applied to the sums), with the owner's name from
    dim_owner as the finer mart carries it.
-#}
{{ kpi_sales_rollup(
    ref('kpi_sales_performance'),
    ['month_start', 'owner_id', 'owner_name'],
    id_name='sales_rep_month_id',
    id_keys=['month_start', 'owner_id']
) }}
