{#-
    Monthly exchange rates as validity ranges: a rate applies from its rate_date until the next
    rate_date of the same currency (exclusive); the last one stays valid (valid_to null). A date
    before a currency's first rate has no range here: int_opportunity_amounts, the one place
    rates are applied, then uses the earliest rate and flags it (seed_extrapolated).
-#}
with

rates as (
    select * from {{ ref('exchange_rates') }}
),

ranged as (
    select
        upper(trim(currency_code)) as currency_code,
        cast(rate_date as date) as rate_date,
        cast(usd_per_unit as {{ type_double() }}) as usd_per_unit,
        cast(rate_date as date) as valid_from,
        cast(lead(rate_date) over (
            partition by upper(trim(currency_code)) order by rate_date
        ) as date) as valid_to
    from rates
)

select * from ranged
