{#-
    Salesforce CurrencyType rows (multi-currency orgs), latest version. conversion_rate is
    Salesforce's: units of the currency per one unit of the corporate currency (the corporate
    row has 1). Rates are applied in int_opportunity_amounts; staging only renames and casts.
-#}
with

source as (
    {{ staged_rows('salesforce', 'currency_type', ['id']) }}
),

renamed as (
    select
        cast(id as {{ dbt.type_string() }}) as currency_type_id,
        cast(upper(trim(iso_code)) as {{ dbt.type_string() }}) as currency_code,
        cast(conversion_rate as {{ type_double() }}) as conversion_rate,
        cast(decimal_places as {{ dbt.type_bigint() }}) as decimal_places,
        coalesce(is_active, false) as is_active,
        coalesce(is_corporate, false) as is_corporate,
        {{ to_utc_timestamp('_fivetran_synced') }} as synced_at
    from source
)

select * from renamed
