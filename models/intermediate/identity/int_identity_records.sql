{#-
    Every source record that stands for a person, one row each, keyed 'system_type:id':
    Salesforce contacts and leads, HubSpot contacts (plus ids merged away into a surviving
    contact, which events may still reference) and identified web visitors (an anonymous id
    with the email of its latest identified session). A visitor joins the person whose CRM or
    marketing record has that email; a visitor whose email no such record has is not a person
    (session emails alone never make people; its sessions stay anonymous). anchor_sort orders a person's records to
    pick its anchor (earliest created, then Salesforce contact, lead, HubSpot contact, visitor),
    so person_id stays stable when later records join.
-#}
with

sf_contacts as (
    select * from {{ ref('stg_salesforce__contacts') }}
),

sf_leads as (
    select * from {{ ref('stg_salesforce__leads') }}
),

hs_contacts as (
    select * from {{ ref('stg_hubspot__contacts') }}
),

hs_merges as (
    select * from {{ ref('int_hubspot_contact_merges') }}
),

sessions as (
    select * from {{ ref('stg_web__sessions') }}
),

known_emails as (
    select sf_contacts.email from sf_contacts
    union all
    select sf_leads.email from sf_leads
    union all
    select hs_contacts.email from hs_contacts
),

identified_sessions as (
    select
        anonymous_id,
        email,
        started_at,
        row_number() over (
            partition by anonymous_id order by started_at desc, session_id desc
        ) as recency_rank,
        min(started_at) over (partition by anonymous_id) as first_seen_at
    from sessions
    where anonymous_id is not null and email is not null
),

unioned as (
    select
        'salesforce' as source_system,
        'salesforce_contact' as record_type,
        contact_id as record_id,
        1 as type_rank,
        email,
        first_name,
        last_name,
        cast(null as {{ dbt.type_string() }}) as company_name,
        created_at
    from sf_contacts

    union all

    select
        'salesforce' as source_system,
        'salesforce_lead' as record_type,
        lead_id as record_id,
        2 as type_rank,
        email,
        first_name,
        last_name,
        company_name,
        created_at
    from sf_leads

    union all

    select
        'hubspot' as source_system,
        'hubspot_contact' as record_type,
        contact_id as record_id,
        3 as type_rank,
        email,
        first_name,
        last_name,
        company_name,
        created_at
    from hs_contacts

    union all

    select distinct
        'hubspot' as source_system,
        'hubspot_contact' as record_type,
        hs_merges.merged_contact_id as record_id,
        4 as type_rank,
        cast(null as {{ dbt.type_string() }}) as email,
        cast(null as {{ dbt.type_string() }}) as first_name,
        cast(null as {{ dbt.type_string() }}) as last_name,
        cast(null as {{ dbt.type_string() }}) as company_name,
        cast(null as {{ dbt.type_timestamp() }}) as created_at
    from hs_merges
    left join hs_contacts
        on hs_merges.merged_contact_id = hs_contacts.contact_id
    where hs_contacts.contact_id is null

    union all

    select
        'web' as source_system,
        'web_visitor' as record_type,
        anonymous_id as record_id,
        5 as type_rank,
        email,
        cast(null as {{ dbt.type_string() }}) as first_name,
        cast(null as {{ dbt.type_string() }}) as last_name,
        cast(null as {{ dbt.type_string() }}) as company_name,
        first_seen_at as created_at
    from identified_sessions
    where
        recency_rank = 1
        and email in (select known_emails.email from known_emails)
),

final as (
    select
        {{ node_key_of('record_type', 'record_id') }} as record_key,
        source_system,
        record_type,
        record_id,
        type_rank,
        email,
        {{ email_domain('email') }} as email_domain,
        first_name,
        last_name,
        company_name,
        created_at,
        {{ dbt.concat([
            "coalesce(cast(created_at as " ~ dbt.type_string() ~ "), '9999-12-31')",
            "'|'",
            "cast(type_rank as " ~ dbt.type_string() ~ ")",
            "'|'",
            'record_type',
            "':'",
            'record_id',
        ]) }} as anchor_sort
    from unioned
    where record_id is not null
)

select * from final
