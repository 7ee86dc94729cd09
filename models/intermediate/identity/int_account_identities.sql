{#-
    Account resolution: one row per account record (Salesforce account, HubSpot company) ->
    account_id, plus one row per business web site domain and per person naming the account it
    belongs to.

    Two different account records are merged ONLY through an explicit link of int_account_links
    that is not blocked: linked_deal, associated_company (never two Salesforce accounts, never
    two HubSpot companies, by that rule alone), website_domain (same normalised web site, not
    free-mail, not a shared platform). People's email domains never merge records. The graph
    of those links (records only: people are no connectors) is split into clusters by label
    propagation (macros/connected_components.sql; assert_account_components_converged checks
    it). A cluster of more than one record that is over a bound is flagged and NOT merged:
    more than var identity_max_accounts_per_cluster (10) Salesforce accounts or HubSpot
    companies, or people of more than var identity_max_cluster_people_share (0.2) of all
    people; each of its records stays its own account (is_cluster_over_bound).
    Anchor of an account: its earliest Salesforce account, else its HubSpot company with the
    smallest id; account_id = surrogate_key(anchor record key); cluster_id likewise for the
    cluster (= account_id unless the cluster is over the bound).

    People: a person's account is the account of their Salesforce contact (account_id) or
    converted lead (converted_account_id), else of their HubSpot contact's associated company
    (int_account_links preference_sort: contacts, converted leads, HubSpot contacts, earliest
    first). A person with none of these is attached to the account whose web site domain
    equals one of their email domains (not free-mail, not shared) only when exactly one account
    has that domain. Domains seen only in people's emails make no account; people without an
    account have no row (the marts use the unknown member).

    One model for both jobs (clustering the records, then placing web site domains and
    people), on purpose: the people-share bound needs the people, and the placement of people
    needs the bound's verdict. Its unit tests give staging rows and links and expect the
    resolved records, domains and people, whole scenarios (a marketplace, a franchise, a
    reseller). Split in two, the second model's tests could only mock the first one's output.
-#}
with

sf_accounts as (
    select * from {{ ref('stg_salesforce__accounts') }}
),

hs_companies as (
    select * from {{ ref('stg_hubspot__companies') }}
),

links as (
    select * from {{ ref('int_account_links') }}
),

person_identities as (
    select * from {{ ref('int_person_identities') }}
),

account_records as (
    {{ account_records('sf_accounts', 'hs_companies') }}
),

edges as (
    select
        from_record_key as from_node_key,
        to_record_key as to_node_key,
        rule
    from links
    where
        blocked_reason is null
        and rule in ('linked_deal', 'associated_company', 'website_domain')
),

graph_nodes as (
    select
        record_key as node_key,
        anchor_sort as initial_label
    from account_records
),

-- DuckDB's `using key` recursive CTE is beyond the SQL linter's parser: PRS ignored below
{{ connected_components('graph_nodes', 'edges', prefix='accounts', passes=12) }},  -- noqa: PRS

clustered as (
    select
        account_records.*,
        accounts_components.component_label
    from account_records
    inner join accounts_components
        on account_records.record_key = accounts_components.node_key
),

cluster_anchors as (
    select
        component_label,
        record_key as cluster_anchor_key
    from clustered
    where anchor_sort = component_label
),

memberships as (
    select
        from_record_key as person_key,
        to_record_key,
        preference_sort
    from links
    where rule in ('person_account', 'person_company')
),

cluster_people as (
    select
        clustered.component_label,
        count(distinct memberships.person_key) as person_count
    from memberships
    inner join clustered
        on memberships.to_record_key = clustered.record_key
    group by clustered.component_label
),

all_people as (
    select count(distinct person_id) as person_count
    from person_identities
),

cluster_sizes as (
    select
        component_label,
        count(*) as record_count,
        sum(case when record_type = 'salesforce_account' then 1 else 0 end)
            as salesforce_account_count,
        sum(case when record_type = 'hubspot_company' then 1 else 0 end)
            as hubspot_company_count
    from clustered
    group by component_label
),

clusters as (
    select
        cluster_sizes.component_label,
        cluster_anchors.cluster_anchor_key,
        cluster_sizes.record_count > 1
        and (
            cluster_sizes.salesforce_account_count
            > {{ var('identity_max_accounts_per_cluster', 10) }}
            or cluster_sizes.hubspot_company_count
            > {{ var('identity_max_accounts_per_cluster', 10) }}
            or coalesce(cluster_people.person_count, 0)
            > {{ var('identity_max_cluster_people_share', 0.2) }} * all_people.person_count
        ) as is_cluster_over_bound
    from cluster_sizes
    inner join cluster_anchors
        on cluster_sizes.component_label = cluster_anchors.component_label
    left join cluster_people
        on cluster_sizes.component_label = cluster_people.component_label
    cross join all_people
),

record_accounts as (
    select
        clustered.record_key,
        clustered.source_system,
        clustered.record_type,
        clustered.record_id,
        clustered.domain,
        clustered.anchor_sort,
        clusters.cluster_anchor_key,
        clusters.is_cluster_over_bound,
        case
            when clusters.is_cluster_over_bound then clustered.record_key
            else clusters.cluster_anchor_key
        end as account_anchor_key
    from clustered
    inner join clusters
        on clustered.component_label = clusters.component_label
),

record_link_ranks as (
    select
        node_key,
        min(
            case rule
                when 'linked_deal' then 1
                when 'associated_company' then 2
                when 'website_domain' then 3
            end
        ) as link_rank
    from (
        select
            from_node_key as node_key,
            rule
        from edges
        union all
        select
            to_node_key as node_key,
            rule
        from edges
    ) as incident
    group by node_key
),

record_rows as (
    select
        record_accounts.record_key,
        record_accounts.source_system,
        record_accounts.record_type,
        record_accounts.record_id,
        {{ surrogate_key(['record_accounts.account_anchor_key']) }} as account_id,
        case
            when record_link_ranks.link_rank is null then 'unlinked'
            when record_accounts.is_cluster_over_bound then 'cluster_over_bound'
            when record_link_ranks.link_rank = 1 then 'linked_deal'
            when record_link_ranks.link_rank = 2 then 'associated_company'
            else 'website_domain'
        end as link_method,
        record_accounts.record_key = record_accounts.account_anchor_key as is_anchor,
        {{ surrogate_key(['record_accounts.cluster_anchor_key']) }} as cluster_id,
        record_accounts.is_cluster_over_bound
    from record_accounts
    left join record_link_ranks
        on record_accounts.record_key = record_link_ranks.node_key
),

-- business web site domains (free-mail and shared platforms excluded): the account of the
-- first record (anchor order) holding the domain
website_domains as (
    select
        record_accounts.domain,
        record_accounts.record_key,
        record_accounts.anchor_sort,
        {{ excluded_domain_reason('record_accounts.domain') }} as excluded_reason
    from record_accounts
    where record_accounts.domain is not null
),

domain_holders as (
    select
        website_domains.domain,
        record_rows.account_id,
        record_rows.cluster_id,
        record_rows.is_cluster_over_bound,
        row_number() over (
            partition by website_domains.domain order by website_domains.anchor_sort
        ) as holder_rank
    from website_domains
    inner join record_rows
        on website_domains.record_key = record_rows.record_key
    where website_domains.excluded_reason is null
),

domain_rows as (
    select
        {{ node_key('domain', 'domain') }} as record_key,
        'derived' as source_system,
        'domain' as record_type,
        domain as record_id,
        account_id,
        'website_domain' as link_method,
        false as is_anchor,
        cluster_id,
        is_cluster_over_bound
    from domain_holders
    where holder_rank = 1
),

-- people: the account of their preferred membership (contact, converted lead, HubSpot
-- company) ...
ranked_memberships as (
    select
        memberships.person_key,
        record_rows.account_id,
        record_rows.cluster_id,
        record_rows.is_cluster_over_bound,
        case
            when memberships.to_record_key like 'salesforce_account:%' then 'person_account'
            else 'person_company'
        end as link_method,
        row_number() over (
            partition by memberships.person_key
            order by memberships.preference_sort, memberships.to_record_key
        ) as preference_rank
    from memberships
    inner join record_rows
        on memberships.to_record_key = record_rows.record_key
),

member_people as (
    select
        person_key,
        account_id,
        cluster_id,
        is_cluster_over_bound,
        link_method
    from ranked_memberships
    where preference_rank = 1
),

-- ... else the one account holding their (business) email domain as its web site
domain_account_counts as (
    select
        domain,
        count(distinct account_id) as account_count
    from domain_holders
    group by domain
),

person_domains as (
    select distinct
        {{ node_key('person', 'person_id') }} as person_key,
        email_domain as domain
    from person_identities
    where email_domain is not null
),

domain_candidates as (
    select
        person_domains.person_key,
        domain_holders.account_id,
        domain_holders.cluster_id,
        domain_holders.is_cluster_over_bound
    from person_domains
    inner join domain_account_counts
        on person_domains.domain = domain_account_counts.domain
    inner join domain_holders
        on person_domains.domain = domain_holders.domain and domain_holders.holder_rank = 1
    left join member_people
        on person_domains.person_key = member_people.person_key
    where
        domain_account_counts.account_count = 1
        and member_people.person_key is null
),

domain_people as (
    select
        person_key,
        min(account_id) as account_id,
        min(cluster_id) as cluster_id,
        min(case when is_cluster_over_bound then 1 else 0 end) = 1 as is_cluster_over_bound
    from domain_candidates
    group by person_key
    having count(distinct account_id) = 1
),

person_rows as (
    select
        person_key as record_key,
        account_id,
        link_method,
        cluster_id,
        is_cluster_over_bound
    from member_people
    union all
    select
        person_key as record_key,
        account_id,
        'email_domain' as link_method,
        cluster_id,
        is_cluster_over_bound
    from domain_people
),

final as (
    select * from record_rows
    union all
    select * from domain_rows
    union all
    select
        record_key,
        'derived' as source_system,
        'person' as record_type,
        {{ node_key_id('record_key') }} as record_id,
        account_id,
        link_method,
        false as is_anchor,
        cluster_id,
        is_cluster_over_bound
    from person_rows
)

select * from final
