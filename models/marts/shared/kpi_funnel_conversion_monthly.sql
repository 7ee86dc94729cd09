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
        cast(stage_pair as {{ dbt.type_string() }}) as stage_pair,
        cast(from_stage as {{ dbt.type_string() }}) as from_stage,
        cast(to_stage as {{ dbt.type_string() }}) as to_stage,
        cast(stage_pair_order as {{ dbt.type_int() }}) as stage_pair_order,
        cast(entered_count as {{ dbt.type_bigint() }}) as entered_count,
        cast(converted_count as {{ dbt.type_bigint() }}) as converted_count,
        cast({{ kpi_conversion_rate('converted_count', 'entered_count') }} as {{ type_double() }})
            as conversion_rate,
        cast(days_to_convert_sum as {{ type_double() }}) as days_to_convert_sum
    from rolled_up
)

select * from final
