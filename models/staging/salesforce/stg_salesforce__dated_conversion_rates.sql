{#-
    Salesforce DatedConversionRate rows (advanced currency management), latest version: the
    rate of a currency from start_date until next_start_date (exclusive; null = still valid),
    in units of the currency per one unit of the corporate currency. Rates are applied in
    int_opportunity_amounts; staging only renames and casts.
-#}
with

source as (
    {{ staged_rows('salesforce', 'dated_conversion_rate', ['id']) }}
),

renamed as (
    select
        cast(id as {{ dbt.type_string() }}) as dated_conversion_rate_id,
        cast(upper(trim(iso_code)) as {{ dbt.type_string() }}) as currency_code,
        cast(start_date as date) as start_date,
        cast(next_start_date as date) as next_start_date,
        cast(conversion_rate as {{ type_double() }}) as conversion_rate,
        {{ to_utc_timestamp('_fivetran_synced') }} as synced_at
    from source
)

select * from renamed
