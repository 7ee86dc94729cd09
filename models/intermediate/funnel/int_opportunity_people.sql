{#-
    The people of each opportunity, one row per (opportunity, person): its contact roles and
    the person whose lead was converted into it; an opportunity with neither falls back to the
    people of its (resolved) account (domain rule for attribution). link_source says which.
-#}
with

roles as (
    select * from {{ ref('stg_salesforce__opportunity_contact_roles') }}
),

leads as (
    select * from {{ ref('stg_salesforce__leads') }}
),

identities as (
    select * from {{ ref('int_person_identities') }}
),

opportunities as (
    select * from {{ ref('int_opportunities_enriched') }}
),

people as (
    select * from {{ ref('int_people_resolved') }}
),

candidates as (
    select
        roles.opportunity_id,
        identities.person_id,
        roles.is_primary,
        'contact_role' as link_source
    from roles
    inner join identities
        on
            identities.record_type = 'salesforce_contact'
            and roles.contact_id = identities.record_id

    union all

    select
        leads.converted_opportunity_id as opportunity_id,
        identities.person_id,
        false as is_primary,
        'converted_lead' as link_source
    from leads
    inner join identities
        on
            identities.record_type = 'salesforce_lead'
            and leads.lead_id = identities.record_id
    where leads.converted_opportunity_id is not null
),

direct_people as (
    select
        opportunity_id,
        person_id,
        max(case when is_primary then 1 else 0 end) = 1 as is_primary,
        min(link_source) as link_source
    from candidates
    group by opportunity_id, person_id
),

account_people as (
    select
        opportunities.opportunity_id,
        people.person_id,
        false as is_primary,
        'account' as link_source
    from opportunities
    inner join people
        on opportunities.resolved_account_id = people.account_id
    where not exists (
            select 1
            from direct_people
            where direct_people.opportunity_id = opportunities.opportunity_id
        )
),

final as (
    select * from direct_people
    union all
    select * from account_people
)

select * from final
