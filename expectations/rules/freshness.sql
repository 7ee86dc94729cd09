-- Rule 9 freshness (provisional): sources whose latest sync is older than allowed.
with

synced as (
    select 'raw_salesforce' as source, max(_fivetran_synced) as synced_at,
        {{ max_age_hours.raw_salesforce }} as max_age_hours
    from raw_salesforce.opportunity
    union all
    select 'raw_hubspot', max(_fivetran_synced), {{ max_age_hours.raw_hubspot }}
    from raw_hubspot.contact
    union all
    select 'raw_ads', max(_fivetran_synced), {{ max_age_hours.raw_ads }}
    from raw_ads.ad_stats
    union all
    select 'raw_web', max(_fivetran_synced), {{ max_age_hours.raw_web }}
    from raw_web.sessions
)

select source, synced_at, max_age_hours
from synced
where synced_at is null
    or synced_at < {{ as_of }} - max_age_hours * interval '1 hour'
