{#-
    Account resolution: one row per account source record -> account_id, plus one row per
    person (record_type 'person') naming the account the person belongs to.
    Graph nodes: Salesforce accounts, HubSpot companies, normalised domains (account web sites,
    company domains and people's email domains, free-mail domains excluded via the
    free_mail_domains seed) and people (as connectors). Edges:
      domain          account / company -> its normalised web-site domain
      person_account  person -> Salesforce account (contact.account_id, converted lead)
      person_company  person -> HubSpot company (contact.associatedcompanyid)
      email_domain    person -> the domain of their email (not free-mail)
      linked_deal     HubSpot company of a deal -> Salesforce account of its linked opportunity
    Components (label propagation, macros/connected_components.sql, convergence tested)
    containing a Salesforce account or a HubSpot company are accounts (domains seen only in people's emails link, but
    make no account); anchor: earliest Salesforce account, else HubSpot company;
    account_id = surrogate_key(anchor record key).
-#}
with

sf_accounts as (
    select * from {{ ref('stg_salesforce__accounts') }}
),

hs_companies as (
    select * from {{ ref('stg_hubspot__companies') }}
),

sf_contacts as (
    select * from {{ ref('stg_salesforce__contacts') }}
),

sf_leads as (
    select * from {{ ref('stg_salesforce__leads') }}
),

hs_contacts as (
    select * from {{ ref('stg_hubspot__contacts') }}
),

sf_opportunities as (
    select * from {{ ref('stg_salesforce__opportunities') }}
),

hs_deals as (
    select * from {{ ref('stg_hubspot__deals') }}
),

hs_deal_companies as (
    select * from {{ ref('stg_hubspot__deal_companies') }}
),

person_identities as (
    select * from {{ ref('int_person_identities') }}
),

free_mail_domains as (
    select lower(trim(domain)) as domain from {{ ref('free_mail_domains') }}
),

account_records as (
    select
        {{ dbt.concat(["'salesforce_account:'", 'account_id']) }} as record_key,
        'salesforce' as source_system,
        'salesforce_account' as record_type,
        account_id as record_id,
        {{ dbt.concat([
            "'1|'",
            "coalesce(cast(created_at as " ~ dbt.type_string() ~ "), '9999-12-31')",
            "'|salesforce_account:'",
            'account_id',
        ]) }} as anchor_sort
    from sf_accounts

    union all

    select
        {{ dbt.concat(["'hubspot_company:'", 'company_id']) }} as record_key,
        'hubspot' as source_system,
        'hubspot_company' as record_type,
        company_id as record_id,
        {{ dbt.concat(["'2|hubspot_company:'", 'company_id']) }} as anchor_sort
    from hs_companies
),

domain_sources as (
    select
        {{ dbt.concat(["'salesforce_account:'", 'account_id']) }} as from_node_key,
        domain
    from sf_accounts
    where domain is not null

    union all

    select
        {{ dbt.concat(["'hubspot_company:'", 'company_id']) }} as from_node_key,
        domain
    from hs_companies
    where domain is not null
),

person_domains as (
    select distinct
        {{ dbt.concat(["'person:'", 'person_id']) }} as from_node_key,
        email_domain as domain
    from person_identities
    where email_domain is not null
),

all_domains as (
    select
        domain_sources.from_node_key,
        domain_sources.domain,
        'domain' as link_method
    from domain_sources
    union all
    select
        person_domains.from_node_key,
        person_domains.domain,
        'email_domain' as link_method
    from person_domains
),

domain_edges as (
    select
        all_domains.from_node_key,
        {{ dbt.concat(["'domain:'", 'all_domains.domain']) }} as to_node_key,
        all_domains.link_method
    from all_domains
    left join free_mail_domains
        on all_domains.domain = free_mail_domains.domain
    where free_mail_domains.domain is null
),

person_record_ids as (
    select
        person_id,
        record_type,
        record_id
    from person_identities
),

person_account_edges as (
    select
        {{ dbt.concat(["'person:'", 'person_record_ids.person_id']) }} as from_node_key,
        {{ dbt.concat(["'salesforce_account:'", 'sf_contacts.account_id']) }} as to_node_key,
        'person_account' as link_method
    from person_record_ids
    inner join sf_contacts
        on
            person_record_ids.record_type = 'salesforce_contact'
            and person_record_ids.record_id = sf_contacts.contact_id
    where sf_contacts.account_id is not null

    union all

    select
        {{ dbt.concat(["'person:'", 'person_record_ids.person_id']) }} as from_node_key,
        {{ dbt.concat(["'salesforce_account:'", 'sf_leads.converted_account_id']) }}
            as to_node_key,
        'person_account' as link_method
    from person_record_ids
    inner join sf_leads
        on
            person_record_ids.record_type = 'salesforce_lead'
            and person_record_ids.record_id = sf_leads.lead_id
    where sf_leads.converted_account_id is not null

    union all

    select
        {{ dbt.concat(["'person:'", 'person_record_ids.person_id']) }} as from_node_key,
        {{ dbt.concat(["'hubspot_company:'", 'hs_contacts.company_id']) }} as to_node_key,
        'person_company' as link_method
    from person_record_ids
    inner join hs_contacts
        on
            person_record_ids.record_type = 'hubspot_contact'
            and person_record_ids.record_id = hs_contacts.contact_id
    where hs_contacts.company_id is not null
),

deal_edges as (
    select distinct
        {{ dbt.concat(["'hubspot_company:'", 'hs_deal_companies.company_id']) }} as from_node_key,
        {{ dbt.concat(["'salesforce_account:'", 'sf_opportunities.account_id']) }}
            as to_node_key,
        'linked_deal' as link_method
    from hs_deals
    inner join hs_deal_companies
        on hs_deals.deal_id = hs_deal_companies.deal_id
    inner join sf_opportunities
        on hs_deals.salesforce_opportunity_id = sf_opportunities.opportunity_id
    where sf_opportunities.account_id is not null
),

candidate_edges as (
    select * from domain_edges
    union all
    select * from person_account_edges
    union all
    select * from deal_edges
),

-- edges to accounts / companies that do not exist (deleted) are dropped
edges as (
    select candidate_edges.*
    from candidate_edges
    left join account_records
        on candidate_edges.to_node_key = account_records.record_key
    where
        candidate_edges.to_node_key like 'domain:%'
        or account_records.record_key is not null
),

graph_nodes as (
    select
        record_key as node_key,
        anchor_sort as initial_label
    from account_records
    union all
    select distinct
        to_node_key as node_key,
        {{ dbt.concat(["'3|'", 'to_node_key']) }} as initial_label
    from edges
    where to_node_key like 'domain:%'
    union all
    select distinct
        from_node_key as node_key,
        {{ dbt.concat(["'~'", 'from_node_key']) }} as initial_label
    from edges
    where from_node_key like 'person:%'
),

-- DuckDB's `using key` recursive CTE is beyond the SQL linter's parser: PRS ignored below
{{ connected_components('graph_nodes', 'edges', prefix='accounts', passes=12) }},  -- noqa: PRS

labelled as (
    select
        graph_nodes.node_key,
        graph_nodes.initial_label,
        accounts_components.component_label
    from graph_nodes
    inner join accounts_components
        on graph_nodes.node_key = accounts_components.node_key
),

anchors as (
    select distinct
        component_label,
        node_key as anchor_node_key
    from labelled
    where initial_label = component_label
),

best_link as (
    select
        node_key,
        min(
            case link_method
                when 'linked_deal' then 1
                when 'person_account' then 2
                when 'person_company' then 2
                when 'domain' then 3
                when 'email_domain' then 4
            end
        ) as link_rank
    from (
        select
            from_node_key as node_key,
            link_method
        from edges
        union all
        select
            to_node_key as node_key,
            link_method
        from edges
    ) as incident
    group by node_key
),

final as (
    select
        labelled.node_key as record_key,
        case
            when labelled.node_key like 'salesforce_account:%' then 'salesforce'
            when labelled.node_key like 'hubspot_company:%' then 'hubspot'
            else 'derived'
        end as source_system,
        case
            when labelled.node_key like 'salesforce_account:%' then 'salesforce_account'
            when labelled.node_key like 'hubspot_company:%' then 'hubspot_company'
            when labelled.node_key like 'domain:%' then 'domain'
            else 'person'
        end as record_type,
        {{ dbt.split_part('labelled.node_key', "':'", 2) }} as record_id,
        {{ surrogate_key(['anchors.anchor_node_key']) }} as account_id,
        case
            when best_link.link_rank is null then 'unlinked'
            when best_link.link_rank = 1 then 'linked_deal'
            when best_link.link_rank = 2 then 'person'
            when best_link.link_rank = 3 then 'domain'
            else 'email_domain'
        end as link_method,
        labelled.node_key = anchors.anchor_node_key as is_anchor
    from labelled
    inner join anchors
        on labelled.component_label = anchors.component_label
    left join best_link
        on labelled.node_key = best_link.node_key
    -- only components holding a Salesforce account or a HubSpot company are accounts (the
    -- anchor prefers those): domains known only from people's emails are no company anyone
    -- tracks, and people only (free-mail) are no account either
    where
        anchors.anchor_node_key like 'salesforce_account:%'
        or anchors.anchor_node_key like 'hubspot_company:%'
)

select * from final
