{#-
    Links between person records (and shared normalised emails), one row per undirected edge:
      hubspot_merge    merged-away HubSpot contact id -> surviving contact
      lead_conversion  Salesforce lead -> the contact it was converted into
      integration_id   HubSpot contact -> Salesforce lead / contact named by the
                       HubSpot-Salesforce integration (property_salesforce{lead,contact}id)
      email            record -> its normalised email (node 'email:<address>'): records with the
                       same trimmed, lower-cased email are one person
    Edges to records that do not exist (deleted, never synced) are dropped.
-#}
with

records as (
    select * from {{ ref('int_identity_records') }}
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

candidate_edges as (
    select
        {{ dbt.concat(["'hubspot_contact:'", 'merged_contact_id']) }} as from_node_key,
        {{ dbt.concat(["'hubspot_contact:'", 'surviving_contact_id']) }} as to_node_key,
        'hubspot_merge' as link_method
    from hs_merges

    union all

    select
        {{ dbt.concat(["'salesforce_lead:'", 'lead_id']) }} as from_node_key,
        {{ dbt.concat(["'salesforce_contact:'", 'converted_contact_id']) }} as to_node_key,
        'lead_conversion' as link_method
    from sf_leads
    where is_converted and converted_contact_id is not null

    union all

    select
        {{ dbt.concat(["'hubspot_contact:'", 'contact_id']) }} as from_node_key,
        {{ dbt.concat(["'salesforce_lead:'", 'salesforce_lead_id']) }} as to_node_key,
        'integration_id' as link_method
    from hs_contacts
    where salesforce_lead_id is not null

    union all

    select
        {{ dbt.concat(["'hubspot_contact:'", 'contact_id']) }} as from_node_key,
        {{ dbt.concat(["'salesforce_contact:'", 'salesforce_contact_id']) }} as to_node_key,
        'integration_id' as link_method
    from hs_contacts
    where salesforce_contact_id is not null
),

record_edges as (
    select candidate_edges.*
    from candidate_edges
    inner join records as from_records
        on candidate_edges.from_node_key = from_records.record_key
    inner join records as to_records
        on candidate_edges.to_node_key = to_records.record_key
),

email_edges as (
    select
        record_key as from_node_key,
        {{ dbt.concat(["'email:'", 'email']) }} as to_node_key,
        'email' as link_method
    from records
    where email is not null
),

final as (
    select * from record_edges
    union all
    select * from email_edges
)

select * from final
