{#-
    Ad spend has no primary key (real exports may lack ad_id and repeat a key): rows are kept as
    they are and summed downstream, never de-duplicated. Spend is in the ad account's currency:
    the row's currency_code, else the var ads_currency (default: the reporting currency);
    converted in int_ad_spend_rates / fct_ad_spend, never here.
-#}
with

source as (
    select * from {{ contract_source('ads', 'ad_stats') }}
),

renamed as (
    select
        cast(date_day as date) as date_day,
        lower(trim(platform)) as platform,
        cast(account_id as {{ dbt.type_string() }}) as ad_account_id,
        cast(campaign_id as {{ dbt.type_string() }}) as campaign_id,
        campaign_name,
        cast(ad_group_id as {{ dbt.type_string() }}) as ad_group_id,
        cast(ad_id as {{ dbt.type_string() }}) as ad_id,
        coalesce(cast(clicks as {{ dbt.type_bigint() }}), 0) as clicks,
        coalesce(cast(impressions as {{ dbt.type_bigint() }}), 0) as impressions,
        coalesce(cast(spend as {{ type_double() }}), 0) as spend,
        {{ ad_spend_currency('currency_code') }} as currency_code,
        coalesce(cast(conversions as {{ type_double() }}), 0) as conversions,
        {{ to_utc_timestamp('_fivetran_synced') }} as synced_at
    from source
)

select * from renamed
