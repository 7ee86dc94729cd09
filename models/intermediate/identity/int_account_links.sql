{#-
    Every link account resolution considers, one row each, before any merge (the graph and the
    cluster bound are int_account_identities'). Two kinds:

    Links between two account records (Salesforce accounts, HubSpot companies): the ONLY ways
    two CRM records become one account.
      linked_deal         HubSpot company of a deal -> Salesforce account of the opportunity the
                          deal is linked to (property_salesforceopportunityid); evidence: deal id
      associated_company  Salesforce account of a person (contact account_id, converted lead
                          converted_account_id) -> HubSpot company of the same person (contact
                          property_associatedcompanyid); evidence: person_id. Blocked
                          ('ambiguous_association') when this rule alone would join two
                          Salesforce accounts (the company is associated with people of several
                          accounts) or two HubSpot companies (the account's people are associated
                          with several companies)
      website_domain      account record -> the first record (anchor order) with the same
                          normalised web site domain; evidence: the domain. Blocked when the
                          domain is free-mail ('free_mail') or a shared platform
                          ('shared_domain'): seeds free_mail_domains, shared_domains
    People's email domains never link two records (they are reported in dim_identity_links).

    Memberships of a person in an account record (a person belongs to an account, never joins
    two): person_account (Salesforce contact / converted lead -> its account) and
    person_company (HubSpot contact -> its associated company); evidence: the person's source
    record key. preference_sort orders a person's memberships: contacts, then converted leads,
    then HubSpot contacts, earliest record first.

    Links to records that do not exist (deleted, never synced) are dropped.
-#}

{#-
    A person's memberships in preference order (membership_rank): (staging CTE of the person's
    record, its record type and id column, the column naming the account record, that record's
    type)
-#}
{%- set membership_sources = [
    ('sf_contacts', 'salesforce_contact', 'contact_id', 'account_id', 'salesforce_account'),
    ('sf_leads', 'salesforce_lead', 'lead_id', 'converted_account_id', 'salesforce_account'),
    ('hs_contacts', 'hubspot_contact', 'contact_id', 'company_id', 'hubspot_company'),
] %}

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

account_records as (
    {{ account_records('sf_accounts', 'hs_companies') }}
),

candidate_memberships as (
    {% for cte, record_type, id_column, account_column, account_type in membership_sources -%}
    select
        person_identities.person_id,
        {{ node_key(account_type, cte ~ '.' ~ account_column) }} as to_record_key,
        '{{ 'person_company' if account_type == 'hubspot_company' else 'person_account' }}'
            as rule,
        person_identities.record_type as evidence_type,
        person_identities.record_key as evidence,
        {{ loop.index }} as membership_rank,
        person_identities.created_at
    from person_identities
    inner join {{ cte }}
        on
            person_identities.record_type = '{{ record_type }}'
            and person_identities.record_id = {{ cte }}.{{ id_column }}
    where {{ cte }}.{{ account_column }} is not null
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

memberships as (
    select candidate_memberships.*
    from candidate_memberships
    inner join account_records
        on candidate_memberships.to_record_key = account_records.record_key
),

association_pairs as (
    select distinct
        sf_side.to_record_key as from_record_key,
        hs_side.to_record_key,
        sf_side.person_id
    from memberships as sf_side
    inner join memberships as hs_side
        on sf_side.person_id = hs_side.person_id
    where
        sf_side.rule = 'person_account'
        and hs_side.rule = 'person_company'
),

companies_per_account as (
    select
        from_record_key,
        count(distinct to_record_key) as company_count
    from association_pairs
    group by from_record_key
),

accounts_per_company as (
    select
        to_record_key,
        count(distinct from_record_key) as account_count
    from association_pairs
    group by to_record_key
),

associated_company_links as (
    select
        association_pairs.from_record_key,
        association_pairs.to_record_key,
        'associated_company' as rule,
        'person' as evidence_type,
        association_pairs.person_id as evidence,
        case
            when
                companies_per_account.company_count > 1
                or accounts_per_company.account_count > 1
                then 'ambiguous_association'
        end as blocked_reason
    from association_pairs
    inner join companies_per_account
        on association_pairs.from_record_key = companies_per_account.from_record_key
    inner join accounts_per_company
        on association_pairs.to_record_key = accounts_per_company.to_record_key
),

candidate_deal_links as (
    select distinct
        {{ node_key('hubspot_company', 'hs_deal_companies.company_id') }}
            as from_record_key,
        {{ node_key('salesforce_account', 'sf_opportunities.account_id') }}
            as to_record_key,
        hs_deals.deal_id
    from hs_deals
    inner join hs_deal_companies
        on hs_deals.deal_id = hs_deal_companies.deal_id
    inner join sf_opportunities
        on hs_deals.salesforce_opportunity_id = sf_opportunities.opportunity_id
    where sf_opportunities.account_id is not null
),

existing_deal_links as (
    {{ links_between_records(
        'candidate_deal_links', 'from_record_key', 'to_record_key', 'account_records'
    ) }}
),

deal_links as (
    select
        from_record_key,
        to_record_key,
        'linked_deal' as rule,
        'hubspot_deal' as evidence_type,
        deal_id as evidence,
        cast(null as {{ dbt.type_string() }}) as blocked_reason
    from existing_deal_links
),

domain_holders as (
    select
        record_key,
        domain,
        row_number() over (partition by domain order by anchor_sort) as holder_rank
    from account_records
    where domain is not null
),

website_domain_links as (
    select
        holders.record_key as from_record_key,
        first_holders.record_key as to_record_key,
        'website_domain' as rule,
        'domain' as evidence_type,
        holders.domain as evidence,
        {{ excluded_domain_reason('holders.domain') }} as blocked_reason
    from domain_holders as holders
    inner join domain_holders as first_holders
        on holders.domain = first_holders.domain and first_holders.holder_rank = 1
    where holders.holder_rank > 1
),

record_links as (
    select * from deal_links
    union all
    select * from associated_company_links
    union all
    select * from website_domain_links
),

membership_links as (
    select
        {{ node_key('person', 'person_id') }} as from_record_key,
        to_record_key,
        rule,
        evidence_type,
        evidence,
        cast(null as {{ dbt.type_string() }}) as blocked_reason,
        {{ dbt.concat([
            'cast(membership_rank as ' ~ dbt.type_string() ~ ')',
            "'|'",
            "coalesce(cast(created_at as " ~ dbt.type_string() ~ "), '9999-12-31')",
            "'|'",
            'evidence',
        ]) }} as preference_sort
    from memberships
),

all_links as (
    select
        record_links.*,
        cast(null as {{ dbt.type_string() }}) as preference_sort
    from record_links
    union all
    select * from membership_links
),

final as (
    select
        {{ surrogate_key(['rule', 'from_record_key', 'to_record_key', 'evidence']) }}
            as account_link_id,
        rule,
        from_record_key,
        to_record_key,
        evidence_type,
        evidence,
        blocked_reason,
        preference_sort
    from all_links
)

select * from final
