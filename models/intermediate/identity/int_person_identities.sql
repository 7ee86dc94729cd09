{#-
    Identity resolution: one row per person source record -> person_id.
    Records and shared emails form a graph; its connected components
    (macros/connected_components.sql: label propagation, convergence tested) are
    people. A component's anchor is its earliest-created record (ties: Salesforce contact,
    lead, HubSpot contact, visitor), and person_id = surrogate_key(anchor record key), so ids
    are deterministic and stable when later records join. A record linked to nothing is its own
    person (link_method 'unlinked'); nothing is dropped.
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

-- hubspot_merge, lead_conversion and integration_id links (macros/identity.sql)
candidate_edges as (
    {{ person_record_links('hs_merges', 'sf_leads', 'hs_contacts') }}
),

record_edges as (
    {{ links_between_records('candidate_edges', 'from_node_key', 'to_node_key', 'records') }}
),

email_edges as (
    select
        record_key as from_node_key,
        {{ node_key('email', 'email') }} as to_node_key,
        'email' as link_method
    from records
    where email is not null
),

-- Edges (undirected) between records and shared emails: the record links above and
--   email            record -> its normalised email (node 'email:<address>'): records with
--                    the same trimmed, lower-cased email are one person
-- Edges to records that do not exist (deleted, never synced) are dropped.
edges as (
    select * from record_edges
    union all
    select * from email_edges
),

graph_nodes as (
    select
        record_key as node_key,
        anchor_sort as initial_label
    from records
    union all
    select distinct
        to_node_key as node_key,
        {{ dbt.concat(["'~'", 'to_node_key']) }} as initial_label
    from edges
    where link_method = 'email'
),

-- DuckDB's `using key` recursive CTE is beyond the SQL linter's parser: PRS ignored below
{{ connected_components('graph_nodes', 'edges', prefix='people', passes=12) }},  -- noqa: PRS

-- the component's anchor (the record whose anchor_sort is the component's label) and size, as
-- window functions: one read of the components (Spark inlines every reference to a CTE)
record_components as (
    select
        records.*,
        people_components.component_label,
        {{ component_anchor_key('records', 'people_components') }} as anchor_record_key,
        count(*) over (partition by people_components.component_label) as record_count
    from records
    inner join people_components
        on records.record_key = people_components.node_key
),

shared_emails as (
    select email
    from records
    where email is not null
    group by email
    having count(*) > 1
),

record_links as (
    select
        edges.from_node_key as record_key,
        edges.link_method
    from edges
    where edges.link_method != 'email'
    union all
    select
        edges.to_node_key as record_key,
        edges.link_method
    from edges
    where edges.link_method != 'email'
    union all
    select
        records.record_key,
        'email' as link_method
    from records
    inner join shared_emails
        on records.email = shared_emails.email
),

best_link as (
    select
        record_key,
        min({{ person_link_rank('link_method') }}) as link_rank
    from record_links
    group by record_key
),

final as (
    select
        record_components.record_key,
        record_components.source_system,
        record_components.record_type,
        record_components.record_id,
        {{ surrogate_key(['record_components.anchor_record_key']) }} as person_id,
        case
            when record_components.record_count = 1 then 'unlinked'
            else coalesce({{ person_link_method('best_link.link_rank') }}, 'transitive')
        end as link_method,
        record_components.record_key = record_components.anchor_record_key as is_anchor,
        record_components.email,
        record_components.email_domain,
        record_components.created_at
    from record_components
    left join best_link
        on record_components.record_key = best_link.record_key
)

select * from final
