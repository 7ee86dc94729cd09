{#-
    Ad spend: one row per day x ad platform x ad account x campaign x currency (ad_spend_id),
    summed over ad groups and ads. Raw rows are summed, never de-duplicated (real exports
    repeat keys when they lack ad_id). Spend is converted into the reporting currency with the
    rate of its currency on its day (int_ad_spend_rates): null when there is none, never 0.
    Channel from the ad platform (seed channel_mapping, mapping_type 'ad_platform', matched on
    picklist keys: 'Google Ads' is google_ads); a platform the seed lacks becomes 'unmapped'.
-#}

with

ad_stats as (
    select * from {{ ref('stg_ads__ad_stats') }}
),

spend_rates as (
    select * from {{ ref('int_ad_spend_rates') }}
),

platform_channels as (
    select
        source_key,
        min(channel) as channel
    from {{ ref('stg_reference__channel_mapping') }}
    where mapping_type = 'ad_platform'
    group by source_key
),

aggregated as (
    select
        ad_stats.date_day,
        ad_stats.platform,
        ad_stats.ad_account_id,
        ad_stats.campaign_id,
        ad_stats.currency_code,
        max(ad_stats.campaign_name) as campaign_name,
        sum(ad_stats.spend) as spend,
        sum(ad_stats.clicks) as clicks,
        sum(ad_stats.impressions) as impressions,
        sum(ad_stats.conversions) as conversions,
        count(*) as source_row_count
    from ad_stats
    group by
        ad_stats.date_day,
        ad_stats.platform,
        ad_stats.ad_account_id,
        ad_stats.campaign_id,
        ad_stats.currency_code
),

final as (
    select
        {{ surrogate_key([
            'aggregated.date_day',
            'aggregated.platform',
            'aggregated.ad_account_id',
            'aggregated.campaign_id',
            'aggregated.currency_code',
        ]) }} as ad_spend_id,
        cast(aggregated.date_day as date) as date_day,
        cast(aggregated.platform as {{ dbt.type_string() }}) as platform,
        cast(aggregated.ad_account_id as {{ dbt.type_string() }}) as ad_account_id,
        cast(coalesce(aggregated.campaign_id, '-1') as {{ dbt.type_string() }}) as campaign_id,
        cast(aggregated.campaign_name as {{ dbt.type_string() }}) as campaign_name,
        cast(coalesce(platform_channels.channel, 'unmapped') as {{ dbt.type_string() }})
            as channel,
        cast(aggregated.currency_code as {{ dbt.type_string() }}) as currency_code,
        cast(aggregated.spend as {{ type_double() }}) as spend,
        cast(spend_rates.fx_rate_source as {{ dbt.type_string() }}) as fx_rate_source,
        cast(aggregated.spend * spend_rates.fx_rate as {{ type_double() }}) as spend_usd,
        cast(aggregated.clicks as {{ dbt.type_bigint() }}) as clicks,
        cast(aggregated.impressions as {{ dbt.type_bigint() }}) as impressions,
        cast(aggregated.conversions as {{ type_double() }}) as conversions,
        cast(aggregated.source_row_count as {{ dbt.type_bigint() }}) as source_row_count
    from aggregated
    left join platform_channels
        on {{ picklist_key('aggregated.platform') }} = platform_channels.source_key
    left join spend_rates
        on
            aggregated.currency_code = spend_rates.currency_code
            and aggregated.date_day = spend_rates.date_day
)

select * from final
