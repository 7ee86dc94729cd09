{#-
    Every opportunity amount in the reporting currency (var reporting_currency, default USD),
    one row per opportunity. The conversion date d is the close date (the booking date; the
    expected close date while open). The rate of currency C into reporting currency R is the
    first of (macros/reporting_currency_rates.sql, the rule every converted amount shares):
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
