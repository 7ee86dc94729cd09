{#-
    Amounts are converted to USD here, with the rate of the latest rate_date on or before the
    close date (the booking date; the expected close date while open). No rate (currency
    missing from the seed, close date before its first rate, no close date) leaves amount_usd
    null. The join to stg_reference__exchange_rates (a seed) is the one join staging allows.
    A missing currency code means a single-currency org: the reporting currency (USD).
-#}
with

source as (
    select * from {{ contract_source('salesforce', 'opportunity') }}
),

rates as (
    select * from {{ ref('stg_reference__exchange_rates') }}
),

latest as (
    {{ latest_version('source', ['id']) }}
),

renamed as (
    select
        cast(id as {{ dbt.type_string() }}) as opportunity_id,
        account_id,
        owner_id,
        campaign_id,
        name as opportunity_name,
        type as opportunity_type,
        stage_name,
        cast(amount as {{ type_double() }}) as amount,
        coalesce(upper(trim(currency_iso_code)), '{{ var("reporting_currency", "USD") }}')
            as currency_code,
        cast(probability as {{ type_double() }}) as probability,
        forecast_category,
        lead_source,
        {{ to_utc_timestamp('created_date') }} as created_at,
        cast(close_date as date) as close_date,
        coalesce(is_closed, false) as is_closed,
        coalesce(is_won, false) as is_won,
        coalesce(is_closed, false) and not coalesce(is_won, false) as is_lost,
        {{ to_utc_timestamp('_fivetran_synced') }} as synced_at
    from latest
    where not coalesce(is_deleted, false)
),

converted as (
    select
        renamed.*,
        rates.usd_per_unit,
        renamed.amount * rates.usd_per_unit as amount_usd
    from renamed
    left join rates
        on {{ exchange_rate_join(
            'rates',
            'renamed.currency_code',
            'renamed.close_date'
        ) }}
)

select * from converted
