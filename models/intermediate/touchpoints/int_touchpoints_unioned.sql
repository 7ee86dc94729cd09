{#-
    Every marketing and sales touch of a person, one row per touch (grain: touchpoint_id):
      web_session      a web session (not paid), channel from UTM / referrer / direct
      ad_click         a web session with a gclid or whose UTM maps to a paid channel
      form_submission  a HubSpot form submission, channel from the page URL's UTM tags, else
                       the web session it was submitted in (latest session of the person
                       started at most 30 minutes before), else direct
      email_click      a HubSpot email CLICK event, channel email
      sales_activity   a Salesforce task on a lead or contact, channel sales_outbound
    Channels come from the channel_mapping seed, matched on picklist keys (case, spaces,
    hyphens, underscores and parentheses do not matter: stg_reference__channel_mapping;
    precedence: exact source+medium, medium only, source only when there is no medium,
    catch-all '*'/'*'); sessions without UTM tags map their referrer domain (or the domain it
    is a subdomain of), and without referrer are direct; a value that matches nothing becomes
    'unmapped', never dropped. Campaigns: a utm_campaign naming an ad campaign (ad_stats campaign_name) becomes
    that campaign's id, so sessions join ad spend; other utm_campaign values stay as they are. person_id /
    account_id are null where the touch resolves to nobody (anonymous visitors, unknown
    recipients); the marts turn them into the unknown member.
    A table, rebuilt on every run: a touch's person, account and (for forms) channel depend on
    identity resolution and on other rows, so every run has to compute every touch anyway. Measured
    at scale 10 (benchmarks/), the incremental variant (delete+insert plus a vanished-rows delete)
    took 5.8 s per run against 2.4 s for the table, and still missed late sessions and seed edits.
-#}

with

sessions as (
    select * from {{ ref('stg_web__sessions') }}
),

form_submissions as (
    select * from {{ ref('stg_hubspot__contact_form_submissions') }}
),

email_events as (
    select * from {{ ref('stg_hubspot__email_events') }}
),

tasks as (
    select * from {{ ref('stg_salesforce__tasks') }}
),

identities as (
    select * from {{ ref('int_person_identities') }}
),

people as (
    select * from {{ ref('int_people_resolved') }}
),

channel_mapping as (
    select * from {{ ref('stg_reference__channel_mapping') }}
),

channels as (
    select * from {{ ref('channels') }}
),

ad_campaigns as (
    select
        campaign_name,
        min(campaign_id) as campaign_id
    from {{ ref('stg_ads__ad_stats') }}
    where campaign_name is not null and campaign_id is not null
    group by campaign_name
),

email_people as (
    select
        email,
        min(person_id) as person_id
    from identities
    where email is not null
    group by email
),

web_touches as (
    select
        sessions.session_id as source_record_id,
        'web' as source_system,
        sessions.started_at as occurred_at,
        coalesce(visitor.person_id, by_email.person_id) as person_id,
        case
            when sessions.utm_source is not null or sessions.utm_medium is not null then 'utm'
            when sessions.gclid is not null then 'fixed'
            when sessions.referrer_domain is not null then 'referrer_domain'
            else 'fixed'
        end as mapping_type,
        case
            when sessions.utm_source is not null or sessions.utm_medium is not null
                then coalesce(sessions.utm_source, '')
            when sessions.gclid is not null then 'paid_search'
            when sessions.referrer_domain is not null then sessions.referrer_domain
            else 'direct'
        end as mapping_source,
        coalesce(sessions.utm_medium, '') as mapping_medium,
        sessions.utm_campaign as campaign_id,
        sessions.gclid is not null as has_click_id,
        sessions.synced_at
    from sessions
    left join identities as visitor
        on
            visitor.record_type = 'web_visitor'
            and sessions.anonymous_id = visitor.record_id
    left join email_people as by_email
        on sessions.email = by_email.email
),

form_touches as (
    select
        form_submissions.form_submission_id as source_record_id,
        'hubspot' as source_system,
        form_submissions.submitted_at as occurred_at,
        contact.person_id,
        case
            when {{ url_parameter('form_submissions.page_url', 'utm_source') }} is not null
                or {{ url_parameter('form_submissions.page_url', 'utm_medium') }} is not null
                then 'utm'
            else 'fixed'
        end as mapping_type,
        coalesce(
            lower({{ url_parameter('form_submissions.page_url', 'utm_source') }}),
            case
                when {{ url_parameter('form_submissions.page_url', 'utm_medium') }} is null
                    then 'direct'
                else ''
            end
        ) as mapping_source,
        coalesce(lower({{ url_parameter('form_submissions.page_url', 'utm_medium') }}), '')
            as mapping_medium,
        {{ url_parameter('form_submissions.page_url', 'utm_campaign') }} as campaign_id,
        false as has_click_id,
        form_submissions.synced_at
    from form_submissions
    left join identities as contact
        on
            contact.record_type = 'hubspot_contact'
            and form_submissions.contact_id = contact.record_id
),

email_touches as (
    select
        email_events.email_event_id as source_record_id,
        'hubspot' as source_system,
        email_events.occurred_at,
        email_people.person_id,
        'fixed' as mapping_type,
        'email' as mapping_source,
        '' as mapping_medium,
        email_events.email_campaign_id as campaign_id,
        false as has_click_id,
        email_events.synced_at
    from email_events
    left join email_people
        on email_events.recipient_email = email_people.email
    where email_events.email_event_type = 'CLICK'
),

task_touches as (
    select
        tasks.task_id as source_record_id,
        'salesforce' as source_system,
        coalesce(tasks.created_at, cast(tasks.activity_date as {{ dbt.type_timestamp() }}))
            as occurred_at,
        who.person_id,
        'fixed' as mapping_type,
        'sales_outbound' as mapping_source,
        '' as mapping_medium,
        cast(null as {{ dbt.type_string() }}) as campaign_id,
        false as has_click_id,
        tasks.synced_at
    from tasks
    left join identities as who
        on
            who.record_type in ('salesforce_lead', 'salesforce_contact')
            and tasks.who_id = who.record_id
),

unioned as (
    select
        'web_session' as touchpoint_source,
        *
    from web_touches
    union all
    select
        'form_submission' as touchpoint_source,
        *
    from form_touches
    union all
    select
        'email_click' as touchpoint_source,
        *
    from email_touches
    union all
    select
        'sales_activity' as touchpoint_source,
        *
    from task_touches
),

keyed as (
    select
        unioned.*,
        case
            when unioned.mapping_type = 'utm' then {{ picklist_key('unioned.mapping_source') }}
            when unioned.mapping_type = 'referrer_domain' then unioned.mapping_source
        end as source_key,
        case
            when unioned.mapping_type = 'utm' then {{ picklist_key('unioned.mapping_medium') }}
        end as medium_key
    from unioned
),

-- one channel per referrer domain: the seed row of that domain, else of the longest seed
-- domain it is a subdomain of (l.facebook.com -> facebook.com)
referrer_channels as (
    select
        domains.source_key,
        channel_mapping.channel,
        row_number() over (
            partition by domains.source_key
            order by length(channel_mapping.source_key) desc, channel_mapping.channel
        ) as match_rank
    from (
        select distinct source_key from keyed
        where mapping_type = 'referrer_domain'
    ) as domains
    inner join channel_mapping
        on
            channel_mapping.mapping_type = 'referrer_domain'
            and channel_mapping.source_key != '*'
            and (
                domains.source_key = channel_mapping.source_key
                or domains.source_key like {{ dbt.concat(["'%.'", 'channel_mapping.source_key']) }}
            )
),

mapped_own as (
    select
        keyed.*,
        case
            when keyed.mapping_type = 'fixed' then keyed.mapping_source
            when keyed.mapping_type = 'referrer_domain'
                then coalesce(referrer_channels.channel, catch_all.channel, 'unmapped')
            else coalesce(
                    exact.channel,
                    by_medium.channel,
                    by_source.channel,
                    catch_all.channel,
                    'unmapped'
                )
        end as channel
    from keyed
    left join channel_mapping as exact
        on
            keyed.mapping_type = 'utm'
            and exact.mapping_type = 'utm'
            and keyed.source_key = exact.source_key
            and keyed.medium_key = exact.medium_key
    left join channel_mapping as by_medium
        on
            keyed.mapping_type = 'utm'
            and by_medium.mapping_type = 'utm'
            and by_medium.source_key = '*'
            and keyed.medium_key = by_medium.medium_key
    left join channel_mapping as by_source
        on
            keyed.mapping_type = 'utm'
            and by_source.mapping_type = 'utm'
            and keyed.source_key = by_source.source_key
            and by_source.medium_key = '*'
            -- the source decides only when there is no medium (utm_medium alone gives the
            -- channel; an unknown medium is 'unmapped', not guessed from the source)
            and keyed.medium_key is null
    left join channel_mapping as catch_all
        on
            keyed.mapping_type = catch_all.mapping_type
            and catch_all.source_key = '*'
            and catch_all.medium_key = '*'
    left join referrer_channels
        on
            keyed.source_key = referrer_channels.source_key
            and keyed.mapping_type = 'referrer_domain'
            and referrer_channels.match_rank = 1
),

-- a form submission without UTM tags on its page inherits the channel and campaign of the
-- web session it was submitted in: the person's latest session started at most 30 minutes
-- before the submission
form_sessions as (
    select
        forms.source_record_id,
        sessions.channel,
        sessions.campaign_id,
        row_number() over (
            partition by forms.source_record_id
            order by sessions.occurred_at desc, sessions.source_record_id desc
        ) as session_rank
    from mapped_own as forms
    inner join mapped_own as sessions
        on
            forms.person_id = sessions.person_id
            and sessions.touchpoint_source = 'web_session'
            and forms.occurred_at >= sessions.occurred_at
            and {{ dbt.dateadd('minute', -30, 'forms.occurred_at') }} <= sessions.occurred_at
    where
        forms.touchpoint_source = 'form_submission'
        and forms.mapping_type = 'fixed'
),

mapped as (
    select
        mapped_own.touchpoint_source,
        mapped_own.source_record_id,
        mapped_own.source_system,
        mapped_own.occurred_at,
        mapped_own.person_id,
        mapped_own.mapping_source,
        mapped_own.mapping_medium,
        mapped_own.has_click_id,
        mapped_own.synced_at,
        coalesce(form_sessions.channel, mapped_own.channel) as channel,
        coalesce(mapped_own.campaign_id, form_sessions.campaign_id) as campaign_id
    from mapped_own
    left join form_sessions
        on
            mapped_own.source_record_id = form_sessions.source_record_id
            and mapped_own.touchpoint_source = 'form_submission'
            and form_sessions.session_rank = 1
),

final as (
    select
        {{ surrogate_key(['mapped.touchpoint_source', 'mapped.source_record_id']) }}
            as touchpoint_id,
        case
            when
                mapped.touchpoint_source = 'web_session'
                and (mapped.has_click_id or coalesce(channels.is_paid, false))
                then 'ad_click'
            else mapped.touchpoint_source
        end as touchpoint_type,
        mapped.source_system,
        mapped.source_record_id,
        mapped.occurred_at,
        mapped.person_id,
        people.account_id,
        mapped.channel,
        coalesce(ad_campaigns.campaign_id, mapped.campaign_id) as campaign_id,
        nullif(mapped.mapping_source, '') as channel_source_value,
        nullif(mapped.mapping_medium, '') as channel_medium_value,
        mapped.synced_at
    from mapped
    left join channels
        on mapped.channel = channels.channel
    left join people
        on mapped.person_id = people.person_id
    left join ad_campaigns
        on
            mapped.touchpoint_source in ('web_session', 'form_submission')
            and mapped.campaign_id = ad_campaigns.campaign_name
)

select final.* from final
