{#-
    The identity audit: one row per link identity resolution considered between two records
    (grain: identity_link_id), whether it was applied and, if not, why. No PII: evidence is an
    id, a domain or the md5 of an email, never an email.

    entity 'account' (int_account_links, int_account_identities):
      linked_deal, associated_company, website_domain  between two account records; applied
          unless blocked (free_mail, shared_domain, ambiguous_association) or their cluster is
          over the bound (cluster_over_bound)
      email_domain         people of two accounts share a business email domain: never applied
          (email_domain_only), listed once per account after the first so ops see marketplaces,
          franchises and resellers that are deliberately NOT merged
      person_account, person_company  a person's membership in an account record; applied
          when it is the person's account (else other_account_preferred)
      person_email_domain  a person without a membership attached to the one account whose
          web site is their email domain (always applied)
    entity 'person' (int_person_identities): hubspot_merge, lead_conversion, integration_id
    and email (records with one normalised email: each record -> the first with it); always
    applied.
-#}
with

account_links as (
    select * from {{ ref('int_account_links') }}
),

account_identities as (
    select * from {{ ref('int_account_identities') }}
),

person_identities as (
    select * from {{ ref('int_person_identities') }}
),

identity_records as (
    select * from {{ ref('int_identity_records') }}
),

hs_merges as (
    select * from {{ ref('int_hubspot_contact_merges') }}
),

sf_leads as (
    select * from {{ ref('stg_salesforce__leads') }}
),

hs_contacts as (
    select * from {{ ref('stg_hubspot__contacts') }}
),

record_links as (
    select
        'account' as entity,
        account_links.rule,
        account_links.from_record_key,
        account_links.to_record_key,
        account_links.evidence_type,
        account_links.evidence,
        account_links.blocked_reason is null
        and not from_records.is_cluster_over_bound as is_applied,
        coalesce(
            account_links.blocked_reason,
            case when from_records.is_cluster_over_bound then 'cluster_over_bound' end
        ) as not_applied_reason,
        from_records.account_id as from_resolved_id,
        to_records.account_id as to_resolved_id,
        to_records.cluster_id
    from account_links
    inner join account_identities as from_records
        on account_links.from_record_key = from_records.record_key
    inner join account_identities as to_records
        on account_links.to_record_key = to_records.record_key
    where account_links.rule in ('linked_deal', 'associated_company', 'website_domain')
),

membership_links as (
    select
        'account' as entity,
        account_links.rule,
        account_links.from_record_key,
        account_links.to_record_key,
        account_links.evidence_type,
        account_links.evidence,
        coalesce(people.account_id = to_records.account_id, false) as is_applied,
        case
            when not coalesce(people.account_id = to_records.account_id, false)
                then 'other_account_preferred'
        end as not_applied_reason,
        people.account_id as from_resolved_id,
        to_records.account_id as to_resolved_id,
        to_records.cluster_id
    from account_links
    inner join account_identities as to_records
        on account_links.to_record_key = to_records.record_key
    left join account_identities as people
        on account_links.from_record_key = people.record_key
    where account_links.rule in ('person_account', 'person_company')
),

person_accounts as (
    select
        record_key as person_key,
        record_id as person_id,
        account_id,
        link_method
    from account_identities
    where record_type = 'person'
),

person_email_domains as (
    select distinct
        person_id,
        email_domain
    from person_identities
    where email_domain is not null
),

email_domain_attachments as (
    select distinct
        'account' as entity,
        'person_email_domain' as rule,
        person_accounts.person_key as from_record_key,
        domains.record_key as to_record_key,
        'email_domain' as evidence_type,
        domains.record_id as evidence,
        true as is_applied,
        cast(null as {{ dbt.type_string() }}) as not_applied_reason,
        person_accounts.account_id as from_resolved_id,
        domains.account_id as to_resolved_id,
        domains.cluster_id
    from person_accounts
    inner join person_email_domains
        on person_accounts.person_id = person_email_domains.person_id
    inner join account_identities as domains
        on
            domains.record_type = 'domain'
            and person_email_domains.email_domain = domains.record_id
            and person_accounts.account_id = domains.account_id
    where person_accounts.link_method = 'email_domain'
),

-- business email domains whose people sit in more than one account: the accounts are NOT
-- merged (email domains never merge), each is listed against the first
domain_accounts as (
    select distinct
        person_email_domains.email_domain,
        person_accounts.account_id
    from person_email_domains
    inner join person_accounts
        on person_email_domains.person_id = person_accounts.person_id
),

shared_email_domains as (
    select email_domain
    from domain_accounts
    group by email_domain
    having count(*) > 1
),

business_shared_email_domains as (
    select shared_email_domains.email_domain
    from shared_email_domains
    where {{ excluded_domain_reason('shared_email_domains.email_domain') }} is null
),

account_anchors as (
    select
        account_id,
        record_key,
        record_type,
        cluster_id
    from account_identities
    where is_anchor and record_type in ('salesforce_account', 'hubspot_company')
),

email_domain_accounts as (
    select
        domain_accounts.email_domain,
        account_anchors.account_id,
        account_anchors.record_key,
        account_anchors.cluster_id,
        row_number() over (
            partition by domain_accounts.email_domain
            order by
                case account_anchors.record_type when 'salesforce_account' then 1 else 2 end,
                account_anchors.record_key
        ) as account_rank
    from domain_accounts
    inner join business_shared_email_domains
        on domain_accounts.email_domain = business_shared_email_domains.email_domain
    inner join account_anchors
        on domain_accounts.account_id = account_anchors.account_id
),

email_domain_links as (
    select
        'account' as entity,
        'email_domain' as rule,
        others.record_key as from_record_key,
        first_account.record_key as to_record_key,
        'email_domain' as evidence_type,
        others.email_domain as evidence,
        false as is_applied,
        'email_domain_only' as not_applied_reason,
        others.account_id as from_resolved_id,
        first_account.account_id as to_resolved_id,
        first_account.cluster_id
    from email_domain_accounts as others
    inner join email_domain_accounts as first_account
        on others.email_domain = first_account.email_domain and first_account.account_rank = 1
    where others.account_rank > 1
),

-- people: the record links of int_person_identities, and one email link per record after
-- the first (anchor order) with the same email
candidate_person_links as (
    {{ person_record_links('hs_merges', 'sf_leads', 'hs_contacts') }}
),

email_records as (
    select
        record_key,
        email,
        row_number() over (partition by email order by anchor_sort) as email_rank
    from identity_records
    where email is not null
),

person_link_pairs as (
    select
        from_node_key as from_record_key,
        to_node_key as to_record_key,
        link_method as rule,
        'record_id' as evidence_type,
        -- the id the source field names: the merged-away id a survivor lists, the contact a
        -- lead was converted into, the Salesforce id on the HubSpot contact
        case
            when link_method = 'hubspot_merge'
                then {{ dbt.split_part('from_node_key', "':'", 2) }}
            else {{ dbt.split_part('to_node_key', "':'", 2) }}
        end as evidence
    from candidate_person_links

    union all

    select
        others.record_key as from_record_key,
        first_record.record_key as to_record_key,
        'email' as rule,
        'email_md5' as evidence_type,
        {{ dbt.hash('others.email') }} as evidence
    from email_records as others
    inner join email_records as first_record
        on others.email = first_record.email and first_record.email_rank = 1
    where others.email_rank > 1
),

person_links as (
    select
        'person' as entity,
        person_link_pairs.rule,
        person_link_pairs.from_record_key,
        person_link_pairs.to_record_key,
        person_link_pairs.evidence_type,
        person_link_pairs.evidence,
        true as is_applied,
        cast(null as {{ dbt.type_string() }}) as not_applied_reason,
        from_records.person_id as from_resolved_id,
        to_records.person_id as to_resolved_id,
        to_records.person_id as cluster_id
    from person_link_pairs
    inner join person_identities as from_records
        on person_link_pairs.from_record_key = from_records.record_key
    inner join person_identities as to_records
        on person_link_pairs.to_record_key = to_records.record_key
),

unioned as (
    select * from record_links
    union all
    select * from membership_links
    union all
    select * from email_domain_attachments
    union all
    select * from email_domain_links
    union all
    select * from person_links
),

with_record_types as (
    select
        *,
        {{ node_key_type('from_record_key') }} as from_record_type,
        {{ node_key_type('to_record_key') }} as to_record_type
    from unioned
),

final as (
    select
        cast(
            {{ surrogate_key(['entity', 'rule', 'from_record_key', 'to_record_key', 'evidence']) }}
            as {{ dbt.type_string() }}
        ) as identity_link_id,
        {{- marts_typed_columns([
            ('entity', 'string'),
            ('rule', 'string'),
            ('from_record_key', 'string'),
            ('from_record_type', 'string'),
            ('to_record_key', 'string'),
            ('to_record_type', 'string'),
            ('evidence_type', 'string'),
            ('evidence', 'string'),
            ('is_applied', none),
            ('not_applied_reason', 'string'),
            ('from_resolved_id', 'string'),
            ('to_resolved_id', 'string'),
            ('cluster_id', 'string'),
        ]) }}
    from with_record_types
)

select * from final
