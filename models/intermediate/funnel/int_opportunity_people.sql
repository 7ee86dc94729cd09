{#-
    The people of each opportunity: its contact roles, plus the person whose lead was converted
    into it. One row per (opportunity, person); is_primary marks the primary contact role (or
    the converted lead when there is no role).
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

final as (
    select
        opportunity_id,
        person_id,
        max(case when is_primary then 1 else 0 end) = 1 as is_primary,
        min(link_source) as link_source
    from candidates
    group by opportunity_id, person_id
)

select * from final
