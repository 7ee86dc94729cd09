{#-
    Company-wide stage conversion by cohort: one row per cohort month x stage pair,
    kpi_funnel_conversion (cohort month x channel x stage pair) rolled up over channels. The
    counts are the finer mart's sums; conversion_rate is the same formula
    (macros/kpi_formulas.sql) applied to them, never an average of the channels' rates.
-#}

with

conversion as (
    select * from {{ ref('kpi_funnel_conversion') }}
),

rolled_up as (
    select
        cohort_month,
        stage_pair,
        from_stage,
        to_stage,
        stage_pair_order,
        sum(entered_count) as entered_count,
        sum(converted_count) as converted_count,
        sum(days_to_convert_sum) as days_to_convert_sum
    from conversion
    group by cohort_month, stage_pair, from_stage, to_stage, stage_pair_order
),

final as (
    select
        {{ surrogate_key(['cohort_month', 'stage_pair']) }} as funnel_conversion_monthly_id,
        cast(cohort_month as date) as cohort_month,
        {{- marts_funnel_conversion_columns() }}
    from rolled_up
)

select * from final
