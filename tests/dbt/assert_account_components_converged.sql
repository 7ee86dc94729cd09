-- Account resolution ran enough label-propagation passes: both records of every link that may
-- merge (int_account_links, not blocked) end in one cluster, and in one account unless that
-- cluster is over the bound. Returns the links split across clusters or accounts.
-- Shown in Dagster as an asset check on the model it guards (dagster-dbt reads meta.dagster.ref).
{{ config(meta={'dagster': {'ref': {'name': 'int_account_identities'}}}) }}

with

identities as (
    select * from {{ ref('int_account_identities') }}
),

links as (
    select * from {{ ref('int_account_links') }}
)

select
    links.account_link_id,
    links.rule,
    links.from_record_key,
    links.to_record_key,
    from_records.cluster_id as from_cluster_id,
    to_records.cluster_id as to_cluster_id,
    from_records.account_id as from_account_id,
    to_records.account_id as to_account_id
from links
inner join identities as from_records
    on links.from_record_key = from_records.record_key
inner join identities as to_records
    on links.to_record_key = to_records.record_key
where
    links.blocked_reason is null
    and links.rule in ('linked_deal', 'associated_company', 'website_domain')
    and (
        from_records.cluster_id != to_records.cluster_id
        or (
            not from_records.is_cluster_over_bound
            and from_records.account_id != to_records.account_id
        )
    )
