{#-
    Every opportunity amount in the reporting currency (var reporting_currency, default USD),
    one row per opportunity. The conversion date is the close date (the booking date; the
    expected close date while open); the rate is the first source that covers it, by the rule
    every converted amount shares (macros/reporting_currency_rates.sql: identity, Salesforce
    dated, Salesforce static, the seed; none: amount_usd is null). A missing close date takes
    the latest rate of the first source that has one, flagged (fx_rate_is_fallback), as is the
    seed's earliest rate used for a date before it (seed_extrapolated).
-#}
{%- set rc = "'" ~ reporting_currency() ~ "'" -%}

with

opportunities as (
    select * from {{ ref('stg_salesforce__opportunities') }}
),

{{ reporting_currency_rate_ctes() }},

candidates as (
    {{ fx_rate_choice('opportunities', ['opportunity_id'], 'currency_code', 'close_date') }}
),

converted as (
    select
        opportunities.opportunity_id,
        opportunities.amount,
        opportunities.currency_code,
        cast({{ rc }} as {{ dbt.type_string() }}) as reporting_currency,
        opportunities.close_date as conversion_date,
        cast(candidates.fx_rate as {{ type_double() }}) as fx_rate,
        cast(coalesce(candidates.fx_rate_source, 'none') as {{ dbt.type_string() }})
            as fx_rate_source,
        coalesce(
            candidates.fx_rate_source = 'seed_extrapolated'
            or (
                opportunities.close_date is null
                and candidates.fx_rate_source != 'identity'
            ),
            false
        ) as fx_rate_is_fallback,
        cast(opportunities.amount * candidates.fx_rate as {{ type_double() }}) as amount_usd
    from opportunities
    left join candidates
        on
            opportunities.opportunity_id = candidates.opportunity_id
            and candidates.rate_rank = 1
)

select * from converted
