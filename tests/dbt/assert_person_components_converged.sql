-- Identity resolution ran enough label-propagation passes (macros/connected_components.sql):
-- every link the rules define ends inside one person. Returns the links whose two records
-- got different person_ids; raise `passes` in int_person_identities if this ever fails.
-- Shown in Dagster as an asset check on the model it guards (dagster-dbt reads meta.dagster.ref).
{{ config(meta={'dagster': {'ref': {'name': 'int_person_identities'}}}) }}

with

identities as (
    select * from {{ ref('int_person_identities') }}
),

records as (
    select * from {{ ref('int_identity_records') }}
),

email_split as (
    select
        'email' as link_rule,
        records.email as link_value,
        count(distinct identities.person_id) as person_count
    from records
    inner join identities
        on records.record_key = identities.record_key
    where records.email is not null
    group by records.email
    having count(distinct identities.person_id) > 1
),

conversion_split as (
    select
        'lead_conversion' as link_rule,
        leads.lead_id as link_value,
        2 as person_count
    from {{ ref('stg_salesforce__leads') }} as leads
    inner join identities as lead_identity
        on
            lead_identity.record_type = 'salesforce_lead'
            and leads.lead_id = lead_identity.record_id
    inner join identities as contact_identity
        on
            contact_identity.record_type = 'salesforce_contact'
            and leads.converted_contact_id = contact_identity.record_id
    where leads.is_converted and lead_identity.person_id != contact_identity.person_id
),

merge_split as (
    select
        'hubspot_merge' as link_rule,
        merges.merged_contact_id as link_value,
        2 as person_count
    from {{ ref('int_hubspot_contact_merges') }} as merges
    inner join identities as merged_identity
        on
            merged_identity.record_type = 'hubspot_contact'
            and merges.merged_contact_id = merged_identity.record_id
    inner join identities as surviving_identity
        on
            surviving_identity.record_type = 'hubspot_contact'
            and merges.surviving_contact_id = surviving_identity.record_id
    where merged_identity.person_id != surviving_identity.person_id
)

select * from email_split
union all
select * from conversion_split
union all
select * from merge_split
