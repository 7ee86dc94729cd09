{#-
    The check history (source revops_quality.dq_check_results, written by the quality checks of
    every run), one row per run x check. Read through contract_source: empty before the first
    quality run (the table absent), and a column added after a row was written reads null.
    Ephemeral (inlined where it is read): the checks append between the two dbt steps of a run,
    so the scorecard must read the history when it is built, not a view frozen in the first
    step while the table did not exist yet.
-#}
with

source as (
    select * from {{ contract_source('revops_quality', 'dq_check_results') }}
),

renamed as (
    select
        {{ surrogate_key(['run_id', 'rule']) }} as check_result_id,
        cast(run_id as {{ dbt.type_string() }}) as run_id,
        cast(rule as {{ dbt.type_string() }}) as check_name,
        cast(severity as {{ dbt.type_string() }}) as severity,
        cast(status as {{ dbt.type_string() }}) as check_status,
        cast(success as boolean) as is_success,
        cast(observed_value as {{ dbt.type_bigint() }}) as observed_value,
        cast(threshold as {{ dbt.type_bigint() }}) as threshold,
        cast(unexpected_count as {{ dbt.type_bigint() }}) as unexpected_count,
        cast(checked_at as timestamp) as checked_at,
        cast(data_as_of as timestamp) as data_as_of,
        row_number() over (
            partition by run_id, rule
            order by checked_at desc
        ) as version_rank
    from source
    where run_id is not null and rule is not null
),

final as (
    select
        check_result_id,
        run_id,
        check_name,
        severity,
        check_status,
        is_success,
        observed_value,
        threshold,
        unexpected_count,
        checked_at,
        data_as_of
    from renamed
    where version_rank = 1
)

select * from final
