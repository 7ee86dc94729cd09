{#-
    One row per campaign id met anywhere (grain: campaign_id) plus the unknown member '-1':
    ad platform campaigns (ad_stats), HubSpot email campaigns, Salesforce opportunity campaigns
    and utm_campaign values of sessions and form pages. When one id appears in several
    sources the first in that order describes it.
-#}
with

ad_stats as (
    select * from {{ ref('stg_ads__ad_stats') }}
),

email_campaigns as (
    select * from {{ ref('stg_hubspot__email_campaigns') }}
),

opportunities as (
    select * from {{ ref('stg_salesforce__opportunities') }}
),

touchpoints as (
    select * from {{ ref('int_touchpoints_unioned') }}
),

channel_mapping as (
    select
        source_key,
        channel
    from {{ ref('stg_reference__channel_mapping') }}
    where mapping_type = 'ad_platform'
),

ad_campaigns as (
    select
        ad_stats.campaign_id,
        max(ad_stats.campaign_name) as campaign_name,
        'ads' as campaign_source,
        max(ad_stats.platform) as platform,
        max(coalesce(channel_mapping.channel, 'unmapped')) as channel,
        1 as source_priority
    from ad_stats
    left join channel_mapping
        on {{ picklist_key('ad_stats.platform') }} = channel_mapping.source_key
    where ad_stats.campaign_id is not null
    group by ad_stats.campaign_id
),

hubspot_campaigns as (
    select
        email_campaign_id as campaign_id,
        email_campaign_name as campaign_name,
        'hubspot_email' as campaign_source,
        cast(null as {{ dbt.type_string() }}) as platform,
        'email' as channel,
        2 as source_priority
    from email_campaigns
),

salesforce_campaigns as (
    select distinct
        campaign_id,
        cast(null as {{ dbt.type_string() }}) as campaign_name,
        'salesforce' as campaign_source,
        cast(null as {{ dbt.type_string() }}) as platform,
        'unknown' as channel,
        3 as source_priority
    from opportunities
    where campaign_id is not null
),

utm_campaigns as (
    select
        campaign_id,
        campaign_id as campaign_name,
        'utm' as campaign_source,
        cast(null as {{ dbt.type_string() }}) as platform,
        min(channel) as channel,
        4 as source_priority
    from touchpoints
    where campaign_id is not null
        and touchpoint_type in ('web_session', 'ad_click', 'form_submission')
    group by campaign_id
),

unioned as (
    select * from ad_campaigns
    union all
    select * from hubspot_campaigns
    union all
    select * from salesforce_campaigns
    union all
    select * from utm_campaigns
),

ranked as (
    select
        *,
        row_number() over (
            partition by campaign_id order by source_priority
        ) as source_rank
    from unioned
),

resolved as (
    select
        campaign_id,
        coalesce(campaign_name, campaign_id) as campaign_name,
        campaign_source,
        platform,
        channel,
        false as is_unknown_member
    from ranked
    where source_rank = 1
),

{{ marts_dimension_with_unknown_member('resolved', [
    ('campaign_id', 'string', "'-1'"),
    ('campaign_name', 'string', "'Unknown campaign'"),
    ('campaign_source', 'string', "'unknown'"),
    ('platform', 'string'),
    ('channel', 'string', "'unknown'"),
    ('is_unknown_member', none, 'true'),
]) }}
