-- Rule 9 freshness: monitored tables whose latest sync (deleted rows included) is older than
-- their allowed age at as_of; an empty table is stale, a table absent from the export is not
-- monitored. Allowed ages: checks.yml.
with

synced as (
    select 'salesforce.account' as source_table, max(_fivetran_synced) as synced_at,
        {{ allowed_age_hours.salesforce.account }} as allowed_age_hours
    from raw_salesforce.account
    having {{ exists.raw_salesforce.account }}
    union all
    select 'salesforce.contact', max(_fivetran_synced),
        {{ allowed_age_hours.salesforce.contact }}
    from raw_salesforce.contact
    having {{ exists.raw_salesforce.contact }}
    union all
    select 'salesforce.lead', max(_fivetran_synced), {{ allowed_age_hours.salesforce.lead }}
    from raw_salesforce.lead
    having {{ exists.raw_salesforce.lead }}
    union all
    select 'salesforce.opportunity', max(_fivetran_synced),
        {{ allowed_age_hours.salesforce.opportunity }}
    from raw_salesforce.opportunity
    having {{ exists.raw_salesforce.opportunity }}
    union all
    select 'salesforce.task', max(_fivetran_synced), {{ allowed_age_hours.salesforce.task }}
    from raw_salesforce.task
    having {{ exists.raw_salesforce.task }}
    union all
    select 'salesforce.user', max(_fivetran_synced), {{ allowed_age_hours.salesforce.user }}
    from raw_salesforce."user"
    having {{ exists.raw_salesforce.user }}
    union all
    select 'hubspot.contact', max(_fivetran_synced), {{ allowed_age_hours.hubspot.contact }}
    from raw_hubspot.contact
    having {{ exists.raw_hubspot.contact }}
    union all
    select 'hubspot.company', max(_fivetran_synced), {{ allowed_age_hours.hubspot.company }}
    from raw_hubspot.company
    having {{ exists.raw_hubspot.company }}
    union all
    select 'hubspot.deal', max(_fivetran_synced), {{ allowed_age_hours.hubspot.deal }}
    from raw_hubspot.deal
    having {{ exists.raw_hubspot.deal }}
    union all
    select 'hubspot.email_event', max(_fivetran_synced),
        {{ allowed_age_hours.hubspot.email_event }}
    from raw_hubspot.email_event
    having {{ exists.raw_hubspot.email_event }}
    union all
    select 'hubspot.owner', max(_fivetran_synced), {{ allowed_age_hours.hubspot.owner }}
    from raw_hubspot.owner
    having {{ exists.raw_hubspot.owner }}
    union all
    select 'ads.ad_stats', max(_fivetran_synced), {{ allowed_age_hours.ads.ad_stats }}
    from raw_ads.ad_stats
    having {{ exists.raw_ads.ad_stats }}
    union all
    select 'web.sessions', max(_fivetran_synced), {{ allowed_age_hours.web.sessions }}
    from raw_web.sessions
    having {{ exists.raw_web.sessions }}
)

select source_table, synced_at, allowed_age_hours
from synced
where synced_at is null
    or synced_at < {{ as_of }} - allowed_age_hours * interval '1 hour'
