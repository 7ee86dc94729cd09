{#-
    Monthly exchange rates as validity ranges: a rate applies from its rate_date until the next
    rate_date of the same currency (exclusive). The first rate of each currency also covers
    earlier dates, the last one stays valid (valid_to null), so every date finds exactly one rate.
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
        case
            when row_number() over (
                    partition by upper(trim(currency_code)) order by rate_date
                ) = 1
                then cast('1900-01-01' as date)
            else cast(rate_date as date)
        end as valid_from,
        cast(lead(rate_date) over (
            partition by upper(trim(currency_code)) order by rate_date
        ) as date) as valid_to
    from rates
)

select * from ranged
