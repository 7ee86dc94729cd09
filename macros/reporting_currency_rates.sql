{#-
    The conversion rule of docs money_conversion, shared by every amount the warehouse
    converts (int_opportunity_amounts, int_ad_spend_rates): CTEs placed in a model's `with`
    clause, as live_tables is.

    reporting_currency_rate_ctes() defines `exchange_rates`: one row per validity range of the
    factor from a currency C into the reporting currency R (var reporting_currency, default
    USD), from every source, with its priority:
      0 identity           C = R: factor 1 at any date, no rate needed
      1 salesforce_dated   dated_conversion_rate rows of C and of R valid at d
                           (start_date <= d < next_start_date, open end when null); the
                           corporate currency has rate 1 at every date
      2 salesforce_static  currency_type rates of C and of R
      3 seed               the exchange-rate seed: usd_per_unit of the latest rate_date <= d;
                           before a currency's first rate_date its earliest rate, flagged
                           (seed_extrapolated); USD is 1 per USD at every date
    Salesforce rates are units of the currency per one corporate unit, so factor = rate(R) /
    rate(C); seed rates are USD per unit, so factor = usd_per_unit(C) / usd_per_unit(R).

    fx_rate_choice(amounts, keys, currency, day) is the select of the rate each row of
    `amounts` converts with: its keys, fx_rate, fx_rate_source and rate_rank (keep rate_rank =
    1): the first source whose range holds the day; a missing day takes the open-ended
    (latest) range. A row no source covers has no candidate (left join: fx_rate_source none).
-#}

{#- The reporting currency, upper-case (var reporting_currency, default USD). -#}
{% macro reporting_currency() -%}
    {{- return(var('reporting_currency', 'USD') | string | trim | upper) -}}
{%- endmacro %}


{#-
    The currency of a row of ads.ad_stats (docs ad_spend_currency): its currency_code, trimmed
    and upper-cased, else the var ads_currency (default: the reporting currency).
-#}
{% macro ad_spend_currency(column='currency_code') -%}
    {%- set default_currency = var('ads_currency', '') | string | trim | upper
        or reporting_currency() -%}
    coalesce(upper(nullif(trim({{ column }}), '')), '{{ default_currency }}')
{%- endmacro %}


{% macro reporting_currency_rate_ctes() -%}
{%- set rc = "'" ~ reporting_currency() ~ "'" -%}
fx_currency_types as (
    select * from {{ ref('stg_salesforce__currency_types') }}
),

fx_dated_conversion_rates as (
    select * from {{ ref('stg_salesforce__dated_conversion_rates') }}
),

fx_seed_rates as (
    select * from {{ ref('stg_reference__exchange_rates') }}
),

fx_corporate_currency as (
    select min(currency_code) as currency_code
    from fx_currency_types
    where is_corporate
),

{# Salesforce rates per currency: units of the currency per corporate unit, with ranges. #}
fx_salesforce_static_rates as (
    select
        currency_code,
        case when is_corporate then 1.0 else conversion_rate end as units_per_corporate
    from fx_currency_types
    where currency_code is not null and (is_corporate or conversion_rate > 0)
),

fx_salesforce_dated_rates as (
    select
        fx_dated_conversion_rates.currency_code,
        fx_dated_conversion_rates.start_date as valid_from,
        fx_dated_conversion_rates.next_start_date as valid_to,
        fx_dated_conversion_rates.conversion_rate as units_per_corporate
    from fx_dated_conversion_rates
    where
        fx_dated_conversion_rates.conversion_rate > 0
        and fx_dated_conversion_rates.currency_code is not null
        and not exists (
            select 1
            from fx_corporate_currency
            where fx_corporate_currency.currency_code = fx_dated_conversion_rates.currency_code
        )

    union all

    select
        currency_code,
        cast(null as date) as valid_from,
        cast(null as date) as valid_to,
        1.0 as units_per_corporate
    from fx_corporate_currency
    where currency_code is not null
),

{# Seed rates per currency: USD per unit, with ranges; before the first rate, the earliest. #}
fx_seed_ranked as (
    select
        currency_code,
        usd_per_unit,
        valid_from,
        valid_to,
        row_number() over (partition by currency_code order by valid_from) as rate_rank
    from fx_seed_rates
    where currency_code != 'USD' and usd_per_unit > 0
),

fx_seed_ranges as (
    select
        currency_code,
        valid_from,
        valid_to,
        usd_per_unit,
        false as is_extrapolated
    from fx_seed_ranked

    union all

    select
        currency_code,
        cast(null as date) as valid_from,
        valid_from as valid_to,
        usd_per_unit,
        true as is_extrapolated
    from fx_seed_ranked
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
fx_identity_rate as (
    select
        {{ rc }} as currency_code,
        cast(null as date) as valid_from,
        cast(null as date) as valid_to,
        1.0 as fx_rate,
        'identity' as fx_rate_source,
        0 as fx_rate_priority
),

fx_salesforce_dated_factors as (
    select
        from_rates.currency_code,
        {{ rate_range_intersection('from_rates', 'to_rates') }},
        to_rates.units_per_corporate / from_rates.units_per_corporate as fx_rate,
        'salesforce_dated' as fx_rate_source,
        1 as fx_rate_priority
    from fx_salesforce_dated_rates as from_rates
    inner join fx_salesforce_dated_rates as to_rates
        on
            to_rates.currency_code = {{ rc }}
            and from_rates.currency_code != {{ rc }}
            and {{ rate_ranges_overlap('from_rates', 'to_rates') }}
),

fx_salesforce_static_factors as (
    select
        from_rates.currency_code,
        cast(null as date) as valid_from,
        cast(null as date) as valid_to,
        to_rates.units_per_corporate / from_rates.units_per_corporate as fx_rate,
        'salesforce_static' as fx_rate_source,
        2 as fx_rate_priority
    from fx_salesforce_static_rates as from_rates
    inner join fx_salesforce_static_rates as to_rates
        on
            to_rates.currency_code = {{ rc }}
            and from_rates.currency_code != {{ rc }}
),

fx_seed_factors as (
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
    from fx_seed_ranges as from_rates
    inner join fx_seed_ranges as to_rates
        on
            to_rates.currency_code = {{ rc }}
            and from_rates.currency_code != {{ rc }}
            and {{ rate_ranges_overlap('from_rates', 'to_rates') }}
),

exchange_rates as (
    select * from fx_identity_rate
    union all
    select * from fx_salesforce_dated_factors
    union all
    select * from fx_salesforce_static_factors
    union all
    select * from fx_seed_factors
)
{%- endmacro %}


{% macro fx_rate_choice(amounts, keys, currency, day) -%}
    select
        {%- for key in keys %}
        {{ amounts }}.{{ key }},
        {%- endfor %}
        exchange_rates.fx_rate,
        exchange_rates.fx_rate_source,
        row_number() over (
            partition by {% for key in keys %}{{ amounts }}.{{ key }}{{ ', ' if not loop.last }}{% endfor %}
            order by
                exchange_rates.fx_rate_priority asc,
                exchange_rates.valid_from desc,
                exchange_rates.fx_rate asc
        ) as rate_rank
    from {{ amounts }}
    inner join exchange_rates
        on
            {{ amounts }}.{{ currency }} = exchange_rates.currency_code
            and (
                ({{ amounts }}.{{ day }} is null and exchange_rates.valid_to is null)
                or (
                    {{ amounts }}.{{ day }} is not null
                    and (
                        exchange_rates.valid_from is null
                        or {{ amounts }}.{{ day }} >= exchange_rates.valid_from
                    )
                    and (
                        exchange_rates.valid_to is null
                        or {{ amounts }}.{{ day }} < exchange_rates.valid_to
                    )
                )
            )
{%- endmacro %}
