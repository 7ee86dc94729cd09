{#-
    The exchange rate of every (currency, day) ad spend is reported in: one row per
    currency_code and date_day of stg_ads__ad_stats, with the factor into the reporting
    currency at that day by the warehouse's one conversion rule (docs money_conversion,
    macros/reporting_currency_rates.sql): identity, Salesforce dated and static rates, the seed.
    A currency no source covers has fx_rate null and fx_rate_source none: its spend in
    fct_ad_spend is null (never 0) and rule reconciliation reports it. Computed per distinct
    (currency, day), a few thousand rows, rather than per raw row.
-#}
{%- set rc = "'" ~ reporting_currency() ~ "'" -%}

with

spend_days as (
    select distinct
        currency_code,
        date_day
    from {{ ref('stg_ads__ad_stats') }}
),

{{ reporting_currency_rate_ctes() }},

candidates as (
    {{ fx_rate_choice('spend_days', ['currency_code', 'date_day'], 'currency_code', 'date_day') }}
),

final as (
    select
        spend_days.currency_code,
        spend_days.date_day,
        cast({{ rc }} as {{ dbt.type_string() }}) as reporting_currency,
        cast(candidates.fx_rate as {{ type_double() }}) as fx_rate,
        cast(coalesce(candidates.fx_rate_source, 'none') as {{ dbt.type_string() }})
            as fx_rate_source,
        coalesce(
            candidates.fx_rate_source = 'seed_extrapolated'
            or (spend_days.date_day is null and candidates.fx_rate_source != 'identity'),
            false
        ) as fx_rate_is_fallback
    from spend_days
    left join candidates
        on
            spend_days.currency_code = candidates.currency_code
            and (
                spend_days.date_day = candidates.date_day
                or (spend_days.date_day is null and candidates.date_day is null)
            )
            and candidates.rate_rank = 1
)

select * from final
