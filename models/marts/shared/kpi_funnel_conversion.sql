{#-
    Stage-to-stage conversion by cohort: one row per cohort month x channel x stage pair.
    The cohort is the month a person entered the earlier stage; the channel is the person's
    original channel (dim_person). A person converted when they reached the later stage at all
    (a later stage reached before the earlier one is a timeline inversion, counted with lag 0).
    Stage times are dim_person's first times in each stage (int_funnel_events).
-#}
{%- set stage_pairs = [
    ('lead_to_mql', 'lead', 'became_lead_at', 'mql', 'became_mql_at', 1),
    ('mql_to_sal', 'mql', 'became_mql_at', 'sal', 'became_sal_at', 2),
    ('sal_to_sql', 'sal', 'became_sal_at', 'sql', 'became_sql_at', 3),
    ('sql_to_opportunity', 'sql', 'became_sql_at', 'opportunity', 'first_opportunity_at', 4),
    (
        'opportunity_to_customer', 'opportunity', 'first_opportunity_at',
        'customer', 'became_customer_at', 5
    ),
    ('mql_to_sql', 'mql', 'became_mql_at', 'sql', 'became_sql_at', 6),
    ('lead_to_customer', 'lead', 'became_lead_at', 'customer', 'became_customer_at', 7),
] -%}

with

people as (
    select * from {{ ref('dim_person') }}
    where not is_unknown_member
),

transitions as (
    {% for pair, from_stage, from_col, to_stage, to_col, pair_order in stage_pairs -%}
    select
        person_id,
        original_channel as channel,
        '{{ pair }}' as stage_pair,
        '{{ from_stage }}' as from_stage,
        '{{ to_stage }}' as to_stage,
        {{ pair_order }} as stage_pair_order,
        {{ kpi_period_start('month', from_col) }} as cohort_month,
        {{ to_col }} is not null as is_converted,
        case
            when {{ to_col }} is not null
                then
                    case
                        when {{ to_col }} < {{ from_col }} then 0.0
                        else {{ kpi_days_between(from_col, to_col) }}
                    end
        end as days_to_convert
    from people
    where {{ from_col }} is not null
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

aggregated as (
    select
        cohort_month,
        channel,
        stage_pair,
        from_stage,
        to_stage,
        stage_pair_order,
        count(*) as entered_count,
        sum(case when is_converted then 1 else 0 end) as converted_count,
        sum(days_to_convert) as days_to_convert_sum,
        {{ kpi_percentile('days_to_convert', 0.5) }} as median_days_to_convert,
        {{ kpi_percentile('days_to_convert', 0.9) }} as p90_days_to_convert
    from transitions
    group by cohort_month, channel, stage_pair, from_stage, to_stage, stage_pair_order
),

final as (
    select
        {{ surrogate_key(['cohort_month', 'channel', 'stage_pair']) }} as funnel_conversion_id,
        cast(cohort_month as date) as cohort_month,
        cast(channel as {{ dbt.type_string() }}) as channel,
        {{- marts_funnel_conversion_columns() }},
        cast(median_days_to_convert as {{ type_double() }}) as median_days_to_convert,
        cast(p90_days_to_convert as {{ type_double() }}) as p90_days_to_convert
    from aggregated
)

select * from final
