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

-- a cluster's anchor (the record whose anchor_sort is the cluster's label) and sizes, as
-- window functions: the components are read once here and by cluster_people (Spark inlines
-- every reference to a CTE, and label propagation is a long chain)
clustered as (
    select
        account_records.*,
        accounts_components.component_label,
        {{ component_anchor_key('account_records', 'accounts_components') }} as cluster_anchor_key,
        count(*) over (partition by accounts_components.component_label) as record_count,
        sum(case when account_records.record_type = 'salesforce_account' then 1 else 0 end)
            over (partition by accounts_components.component_label)
            as salesforce_account_count,
        sum(case when account_records.record_type = 'hubspot_company' then 1 else 0 end)
            over (partition by accounts_components.component_label)
            as hubspot_company_count
    from account_records
    inner join accounts_components
        on account_records.record_key = accounts_components.node_key
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

clusters_bounded as (
    select
        clustered.*,
        clustered.record_count > 1
        and (
            clustered.salesforce_account_count
            > {{ var('identity_max_accounts_per_cluster', 10) }}
            or clustered.hubspot_company_count
            > {{ var('identity_max_accounts_per_cluster', 10) }}
            or coalesce(cluster_people.person_count, 0)
            > {{ var('identity_max_cluster_people_share', 0.2) }} * all_people.person_count
        ) as is_cluster_over_bound
    from clustered
    left join cluster_people
        on clustered.component_label = cluster_people.component_label
    cross join all_people
),

record_accounts as (
    select
        record_key,
        source_system,
        record_type,
        record_id,
        domain,
        anchor_sort,
        cluster_anchor_key,
        is_cluster_over_bound,
        case
            when is_cluster_over_bound then record_key
            else cluster_anchor_key
        end as account_anchor_key
    from clusters_bounded
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

-- the records' rows, with their web site domain and anchor order for the domains below
resolved_records as (
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
        record_accounts.is_cluster_over_bound,
        record_accounts.domain,
        record_accounts.anchor_sort
    from record_accounts
    left join record_link_ranks
        on record_accounts.record_key = record_link_ranks.node_key
),

-- business web site domains (free-mail and shared platforms excluded): the account of the
-- first record (anchor order) holding the domain; is_single_account when every record holding
-- it is of one account
website_domains as (
    select
        resolved_records.domain,
        resolved_records.account_id,
        resolved_records.cluster_id,
        resolved_records.is_cluster_over_bound,
        resolved_records.anchor_sort,
        {{ excluded_domain_reason('resolved_records.domain') }} as excluded_reason
    from resolved_records
    where resolved_records.domain is not null
),

domain_holders as (
    select
        domain,
        account_id,
        cluster_id,
        is_cluster_over_bound,
        row_number() over (partition by domain order by anchor_sort) as holder_rank,
        min(account_id) over (partition by domain)
        = max(account_id) over (partition by domain) as is_single_account
    from website_domains
    where excluded_reason is null
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
        resolved_records.account_id,
        resolved_records.cluster_id,
        resolved_records.is_cluster_over_bound,
        case
            when memberships.to_record_key like 'salesforce_account:%' then 'person_account'
            else 'person_company'
        end as link_method,
        row_number() over (
            partition by memberships.person_key
            order by memberships.preference_sort, memberships.to_record_key
        ) as preference_rank
    from memberships
    inner join resolved_records
        on memberships.to_record_key = resolved_records.record_key
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
    inner join domain_holders
        on person_domains.domain = domain_holders.domain and domain_holders.holder_rank = 1
    left join member_people
        on person_domains.person_key = member_people.person_key
    where
        domain_holders.is_single_account
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
    select
        record_key,
        source_system,
        record_type,
        record_id,
        account_id,
        link_method,
        is_anchor,
        cluster_id,
        is_cluster_over_bound
    from resolved_records
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
