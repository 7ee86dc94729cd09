{#-
    Rule 13 identity_cluster_health (a health rule of the warehouse, after the catalogue): one
    row per suspicious identity cluster, read from dim_identity_links.
      (a) a cluster of explicitly linked account records that is over the bound (dbt vars
          identity_max_accounts_per_cluster, identity_max_cluster_people_share): flagged and NOT
          merged, each of its records is its own account;
      (b) a business email domain (not free-mail, not a shared platform) whose people sit in more
          than max_accounts_per_email_domain (dbt var) distinct accounts: NOT merged (email domains
          never merge accounts), a marketplace, franchise or reseller for ops to look at.
    Both are reported so a person decides; neither changes the marts.
-#}

with

links as (
    select
        rule,
        from_record_key,
        to_record_key,
        evidence,
        from_resolved_id,
        to_resolved_id,
        cluster_id,
        not_applied_reason
    from {{ ref('dim_identity_links') }}
    where entity = 'account'
),

over_bound_records as (
    select
        cluster_id,
        from_record_key as record_key
    from links
    where not_applied_reason = 'cluster_over_bound'
    union
    select
        cluster_id,
        to_record_key as record_key
    from links
    where not_applied_reason = 'cluster_over_bound'
),

over_bound_clusters as (
    select
        'cluster over the bound, not merged' as finding,
        cluster_id as subject,
        count(*) as record_count
    from over_bound_records
    group by cluster_id
),

email_domain_accounts as (
    select
        evidence as email_domain,
        from_resolved_id as account_id
    from links
    where rule = 'email_domain'
    union
    select
        evidence as email_domain,
        to_resolved_id as account_id
    from links
    where rule = 'email_domain'
),

shared_email_domains as (
    select
        'email domain shared by people of many accounts, not merged' as finding,
        email_domain as subject,
        count(*) as record_count
    from email_domain_accounts
    group by email_domain
    having count(*) > {{ var('max_accounts_per_email_domain') }}
)

select * from over_bound_clusters
union all
select * from shared_email_domains
