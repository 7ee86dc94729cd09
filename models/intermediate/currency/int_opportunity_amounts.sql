{#-
    Every opportunity amount in the reporting currency (var reporting_currency, default USD),
    one row per opportunity. The conversion date d is the close date (the booking date; the
    expected close date while open). The rate of currency C into reporting currency R is the
    first of:
      0 identity           C = R: factor 1 at any date, no rate needed
      1 salesforce_dated   dated_conversion_rate rows of C and of R valid at d
                           (start_date <= d < next_start_date, open end when null); the
                           corporate currency has rate 1 at every date
      2 salesforce_static  currency_type rates of C and of R
      3 seed               the exchange-rate seed: usd_per_unit of the latest rate_date <= d;
                           before a currency's first rate_date its earliest rate, flagged
                           (seed_extrapolated); USD is 1 per USD at every date
      none                 no rate: amount_usd is null
    Salesforce rates are units of the currency per one corporate unit, so factor = rate(R) /
    rate(C); seed rates are USD per unit, so factor = usd_per_unit(C) / usd_per_unit(R). A
    missing close date takes the latest rate of the first source that has one, flagged
    (fx_rate_is_fallback). The rates of each source are first turned into validity ranges of
    the factor C -> R (the overlaps of C's and R's ranges), then one range join picks the
    first source that covers d.
-#}
{%- set reporting_currency = var('reporting_currency', 'USD') | string | trim | upper -%}
{%- set rc = "'" ~ reporting_currency ~ "'" -%}

with

opportunities as (
    select * from {{ ref('stg_salesforce__opportunities') }}
),

currency_types as (
    select * from {{ ref('stg_salesforce__currency_types') }}
),

dated_conversion_rates as (
    select * from {{ ref('stg_salesforce__dated_conversion_rates') }}
),

seed_rates as (
    select * from {{ ref('stg_reference__exchange_rates') }}
),

corporate_currency as (
    select min(currency_code) as currency_code
    from currency_types
    where is_corporate
),

{# Salesforce rates per currency: units of the currency per corporate unit, with ranges. #}
salesforce_static_rates as (
    select
        currency_code,
        case when is_corporate then 1.0 else conversion_rate end as units_per_corporate
    from currency_types
    where currency_code is not null and (is_corporate or conversion_rate > 0)
),

salesforce_dated_rates as (
    select
        dated_conversion_rates.currency_code,
        dated_conversion_rates.start_date as valid_from,
        dated_conversion_rates.next_start_date as valid_to,
        dated_conversion_rates.conversion_rate as units_per_corporate
    from dated_conversion_rates
    where
        dated_conversion_rates.conversion_rate > 0
        and dated_conversion_rates.currency_code is not null
        and not exists (
            select 1
            from corporate_currency
            where corporate_currency.currency_code = dated_conversion_rates.currency_code
        )

    union all

    select
        currency_code,
        cast(null as date) as valid_from,
        cast(null as date) as valid_to,
        1.0 as units_per_corporate
    from corporate_currency
    where currency_code is not null
),

{# Seed rates per currency: USD per unit, with ranges; before the first rate, the earliest. #}
seed_ranked as (
    select
        currency_code,
        usd_per_unit,
        valid_from,
        valid_to,
        row_number() over (partition by currency_code order by valid_from) as rate_rank
    from seed_rates
    where currency_code != 'USD' and usd_per_unit > 0
),

seed_ranges as (
    select
        currency_code,
        valid_from,
        valid_to,
        usd_per_unit,
        false as is_extrapolated
    from seed_ranked

    union all

    select
        currency_code,
        cast(null as date) as valid_from,
        valid_from as valid_to,
        usd_per_unit,
        true as is_extrapolated
    from seed_ranked
    where rate_rank = 1

    union all

    select
        'USD' as currency_code,
        cast(null as date) as valid_from,
        cast(null as date) as valid_to,
        1.0 as usd_per_unit,
        false as is_extrapolated
),

{# Factors C -> R: identity, then each source's overlaps of C's ranges with R's ranges. #}
identity_rate as (
    select
        {{ rc }} as currency_code,
        cast(null as date) as valid_from,
        cast(null as date) as valid_to,
        1.0 as fx_rate,
        'identity' as fx_rate_source,
        0 as fx_rate_priority
),

salesforce_dated_factors as (
    select
        from_rates.currency_code,
        {{ rate_range_intersection('from_rates', 'to_rates') }},
        to_rates.units_per_corporate / from_rates.units_per_corporate as fx_rate,
        'salesforce_dated' as fx_rate_source,
        1 as fx_rate_priority
    from salesforce_dated_rates as from_rates
    inner join salesforce_dated_rates as to_rates
        on
            to_rates.currency_code = {{ rc }}
            and from_rates.currency_code != {{ rc }}
            and {{ rate_ranges_overlap('from_rates', 'to_rates') }}
),

salesforce_static_factors as (
    select
        from_rates.currency_code,
        cast(null as date) as valid_from,
        cast(null as date) as valid_to,
        to_rates.units_per_corporate / from_rates.units_per_corporate as fx_rate,
        'salesforce_static' as fx_rate_source,
        2 as fx_rate_priority
    from salesforce_static_rates as from_rates
    inner join salesforce_static_rates as to_rates
        on
            to_rates.currency_code = {{ rc }}
            and from_rates.currency_code != {{ rc }}
),

seed_factors as (
    select
        from_rates.currency_code,
        {{ rate_range_intersection('from_rates', 'to_rates') }},
        from_rates.usd_per_unit / to_rates.usd_per_unit as fx_rate,
        case
            when from_rates.is_extrapolated or to_rates.is_extrapolated
                then 'seed_extrapolated'
            else 'seed'
        end as fx_rate_source,
        3 as fx_rate_priority
    from seed_ranges as from_rates
    inner join seed_ranges as to_rates
        on
            to_rates.currency_code = {{ rc }}
            and from_rates.currency_code != {{ rc }}
            and {{ rate_ranges_overlap('from_rates', 'to_rates') }}
),

exchange_rates as (
    select * from identity_rate
    union all
    select * from salesforce_dated_factors
    union all
    select * from salesforce_static_factors
    union all
    select * from seed_factors
),

{# A date finds the range that holds it; a missing date, the open-ended (latest) range. #}
candidates as (
    select
        opportunities.opportunity_id,
        exchange_rates.fx_rate,
        exchange_rates.fx_rate_source,
        row_number() over (
            partition by opportunities.opportunity_id
            order by
                exchange_rates.fx_rate_priority asc,
                exchange_rates.valid_from desc,
                exchange_rates.fx_rate asc
        ) as rate_rank
    from opportunities
    inner join exchange_rates
        on
            opportunities.currency_code = exchange_rates.currency_code
            and (
                (opportunities.close_date is null and exchange_rates.valid_to is null)
                or (
                    opportunities.close_date is not null
                    and (
                        exchange_rates.valid_from is null
                        or opportunities.close_date >= exchange_rates.valid_from
                    )
                    and (
                        exchange_rates.valid_to is null
                        or opportunities.close_date < exchange_rates.valid_to
                    )
                )
            )
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
