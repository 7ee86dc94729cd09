{#-
    Salesforce opportunities, latest version, soft deletes removed. Amounts stay in their own
    currency: the conversion into the reporting currency is int_opportunity_amounts (staging
    renames and casts, it never joins). A missing currency code means a single-currency org:
    the reporting currency (var reporting_currency).
-#}
with

source as (
    {{ staged_rows('salesforce', 'opportunity', ['id'], deleted='is_deleted') }}
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
        coalesce(
            upper(trim(currency_iso_code)),
            '{{ var("reporting_currency", "USD") | trim | upper }}'
        ) as currency_code,
        cast(probability as {{ type_double() }}) as probability,
        forecast_category,
        lead_source,
        {{ to_utc_timestamp('created_date') }} as created_at,
        cast(close_date as date) as close_date,
        coalesce(is_closed, false) as is_closed,
        coalesce(is_won, false) as is_won,
        coalesce(is_closed, false) and not coalesce(is_won, false) as is_lost,
        {{ to_utc_timestamp('_fivetran_synced') }} as synced_at
    from source
)

select * from renamed
