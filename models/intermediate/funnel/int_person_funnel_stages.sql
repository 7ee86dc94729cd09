{#-
    When each resolved person reached each person stage of the funnel, in each system and as
    the warehouse decides (grain: person_id, every resolved person). int_funnel_events turns
    these times into events; the precedence where the systems disagree is documented there
    (_funnel__models.yml).
-#}
with

people as (
    select * from {{ ref('int_people_resolved') }}
),

identities as (
    select * from {{ ref('int_person_identities') }}
),

hs_contacts as (
    select * from {{ ref('stg_hubspot__contacts') }}
),

sf_leads as (
    select * from {{ ref('stg_salesforce__leads') }}
),

sf_contacts as (
    select * from {{ ref('stg_salesforce__contacts') }}
),

tasks as (
    select * from {{ ref('stg_salesforce__tasks') }}
),

opportunities as (
    select * from {{ ref('int_opportunities_enriched') }}
),

opportunity_people as (
    select * from {{ ref('int_opportunity_people') }}
),

hs_dates as (
    select
        identities.person_id,
        min(coalesce(hs_contacts.became_lead_at, hs_contacts.became_mql_at))
            as hubspot_lead_at,
        min(hs_contacts.became_mql_at) as hubspot_mql_at,
        min(hs_contacts.became_sql_at) as hubspot_sql_at,
        max(hs_contacts.synced_at) as synced_at
    from hs_contacts
    inner join identities
        on
            identities.record_type = 'hubspot_contact'
            and hs_contacts.contact_id = identities.record_id
    group by identities.person_id
),

sf_dates as (
    select
        person_id,
        min(created_at) as salesforce_lead_at,
        min(converted_at) as salesforce_converted_at,
        max(synced_at) as synced_at
    from (
        select
            identities.person_id,
            sf_leads.created_at,
            cast(sf_leads.converted_date as {{ dbt.type_timestamp() }}) as converted_at,
            sf_leads.synced_at
        from sf_leads
        inner join identities
            on
                identities.record_type = 'salesforce_lead'
                and sf_leads.lead_id = identities.record_id
        union all
        select
            identities.person_id,
            sf_contacts.created_at,
            cast(null as {{ dbt.type_timestamp() }}) as converted_at,
            sf_contacts.synced_at
        from sf_contacts
        inner join identities
            on
                identities.record_type = 'salesforce_contact'
                and sf_contacts.contact_id = identities.record_id
    ) as sf_records
    group by person_id
),

first_opportunity as (
    select
        opportunity_people.person_id,
        min(opportunities.created_at) as first_opportunity_at
    from opportunity_people
    inner join opportunities
        on opportunity_people.opportunity_id = opportunities.opportunity_id
    where
        opportunity_people.link_source = 'contact_role'
        and opportunities.opportunity_type = 'New Business'
    group by opportunity_people.person_id
),

person_tasks as (
    select
        identities.person_id,
        coalesce(tasks.created_at, cast(tasks.activity_date as {{ dbt.type_timestamp() }}))
            as task_at,
        tasks.synced_at
    from tasks
    inner join identities
        on
            identities.record_type in ('salesforce_lead', 'salesforce_contact')
            and tasks.who_id = identities.record_id
),

person_stage_times as (
    select
        people.person_id,
        people.account_id,
        hs_dates.hubspot_lead_at,
        sf_dates.salesforce_lead_at,
        hs_dates.hubspot_mql_at,
        hs_dates.hubspot_sql_at,
        sf_dates.salesforce_converted_at,
        first_opportunity.first_opportunity_at,
        case
            when hs_dates.hubspot_lead_at is null then sf_dates.salesforce_lead_at
            when sf_dates.salesforce_lead_at is null then hs_dates.hubspot_lead_at
            else least(hs_dates.hubspot_lead_at, sf_dates.salesforce_lead_at)
        end as lead_at,
        hs_dates.hubspot_mql_at as mql_at,
        case
            -- no New Business contact role, no SQL
            when first_opportunity.first_opportunity_at is null then null
            when sf_dates.salesforce_converted_at is null
                then first_opportunity.first_opportunity_at
            when sf_dates.salesforce_converted_at > first_opportunity.first_opportunity_at
                then sf_dates.salesforce_converted_at
            else first_opportunity.first_opportunity_at
        end as salesforce_sql_at,
        case
            when hs_dates.synced_at is null then sf_dates.synced_at
            when sf_dates.synced_at is null then hs_dates.synced_at
            else greatest(hs_dates.synced_at, sf_dates.synced_at)
        end as synced_at
    from people
    left join hs_dates
        on people.person_id = hs_dates.person_id
    left join sf_dates
        on people.person_id = sf_dates.person_id
    left join first_opportunity
        on people.person_id = first_opportunity.person_id
),

sal_times as (
    select
        person_stage_times.person_id,
        min(person_tasks.task_at) as sal_at
    from person_stage_times
    inner join person_tasks
        on
            person_stage_times.person_id = person_tasks.person_id
            and person_stage_times.mql_at <= person_tasks.task_at
    group by person_stage_times.person_id
),

final as (
    select
        person_stage_times.person_id,
        person_stage_times.account_id,
        person_stage_times.hubspot_lead_at,
        person_stage_times.salesforce_lead_at,
        person_stage_times.hubspot_mql_at,
        person_stage_times.hubspot_sql_at,
        person_stage_times.salesforce_converted_at,
        person_stage_times.first_opportunity_at,
        person_stage_times.lead_at,
        person_stage_times.mql_at,
        sal_times.sal_at,
        person_stage_times.salesforce_sql_at,
        person_stage_times.synced_at
    from person_stage_times
    left join sal_times
        on person_stage_times.person_id = sal_times.person_id
)

select * from final
