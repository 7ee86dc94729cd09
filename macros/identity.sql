{#-
    Why a normalised domain may never link accounts or attach people to them: 'free_mail' when
    it (or a parent domain of it) is in seed free_mail_domains, 'shared_domain' when it is in
    seed shared_domains (site builders, hosting, social and link pages: 'acme.wixsite.com' is
    covered by 'wixsite.com'), null when it may link. Portable: two correlated EXISTS.
-#}
{% macro excluded_domain_reason(domain_expr) -%}
    case
        when {{ domain_expr }} is null then null
        {%- for seed, reason in [
            ('free_mail_domains', 'free_mail'), ('shared_domains', 'shared_domain')
        ] %}
        when exists (
            select 1
            from {{ ref(seed) }} as listed
            where
                {{ domain_expr }} = lower(trim(listed.domain))
                or {{ domain_expr }} like {{ dbt.concat(["'%.'", 'lower(trim(listed.domain))']) }}
        ) then '{{ reason }}'
        {%- endfor %}
    end
{%- endmacro %}

{#-
    The account records, one row each: Salesforce accounts and HubSpot companies read from the
    CTEs named by the arguments (staging columns). record_key '<record_type>:<id>'; domain the
    normalised web site (Salesforce website / HubSpot property_domain); anchor_sort orders the
    records of a cluster for its anchor: earliest Salesforce account first, then HubSpot
    companies by id. int_account_links and int_account_identities share it.
-#}
{% macro account_records(sf_accounts_cte, hs_companies_cte) -%}
    select
        {{ node_key('salesforce_account', 'account_id') }} as record_key,
        'salesforce' as source_system,
        'salesforce_account' as record_type,
        account_id as record_id,
        domain,
        {{ dbt.concat([
            "'1|'",
            "coalesce(cast(created_at as " ~ dbt.type_string() ~ "), '9999-12-31')",
            "'|salesforce_account:'",
            'account_id',
        ]) }} as anchor_sort
    from {{ sf_accounts_cte }}

    union all

    select
        {{ node_key('hubspot_company', 'company_id') }} as record_key,
        'hubspot' as source_system,
        'hubspot_company' as record_type,
        company_id as record_id,
        domain,
        {{ dbt.concat(["'2|hubspot_company:'", 'company_id']) }} as anchor_sort
    from {{ hs_companies_cte }}
{%- endmacro %}

{#-
    The links between person records other than a shared email (int_person_identities,
    dim_identity_links): from_node_key / to_node_key record keys and link_method, read from the
    CTEs named by the arguments (int_hubspot_contact_merges, stg_salesforce__leads,
    stg_hubspot__contacts). Links to records that do not exist are the caller's to drop.
      hubspot_merge    merged-away HubSpot contact id -> surviving contact
      lead_conversion  Salesforce lead -> the contact it was converted into
      integration_id   HubSpot contact -> Salesforce lead / contact named by the
                       HubSpot-Salesforce integration (property_salesforce{lead,contact}id)
-#}
{% macro person_record_links(hs_merges_cte, sf_leads_cte, hs_contacts_cte) -%}
    select
        {{ node_key('hubspot_contact', 'merged_contact_id') }} as from_node_key,
        {{ node_key('hubspot_contact', 'surviving_contact_id') }} as to_node_key,
        'hubspot_merge' as link_method
    from {{ hs_merges_cte }}

    union all

    select
        {{ node_key('salesforce_lead', 'lead_id') }} as from_node_key,
        {{ node_key('salesforce_contact', 'converted_contact_id') }} as to_node_key,
        'lead_conversion' as link_method
    from {{ sf_leads_cte }}
    where is_converted and converted_contact_id is not null

    {%- for record_type in ['salesforce_lead', 'salesforce_contact'] %}

    union all

    select
        {{ node_key('hubspot_contact', 'contact_id') }} as from_node_key,
        {{ node_key(record_type, record_type ~ '_id') }} as to_node_key,
        'integration_id' as link_method
    from {{ hs_contacts_cte }}
    where {{ record_type }}_id is not null
    {%- endfor %}
{%- endmacro %}

{#-
    The key of a record in the identity graphs, '<record_type>:<id>' (salesforce_lead,
    salesforce_contact, hubspot_contact, salesforce_account, hubspot_company, person, email,
    domain): the one spelling every identity model and dim_identity_links use, so that a link
    built in one model meets its record in another. id_expr is a SQL expression.
-#}
{% macro node_key(record_type, id_expr) -%}
    {{ dbt.concat(["'" ~ record_type ~ ":'", id_expr]) }}
{%- endmacro %}

{#- The same key from a column holding the record type. -#}
{% macro node_key_of(type_expr, id_expr) -%}
    {{ dbt.concat([type_expr, "':'", id_expr]) }}
{%- endmacro %}

{#- The record type of a node key (the part before the first ':'). -#}
{% macro node_key_type(key_expr) -%}
    {{ dbt.split_part(key_expr, "':'", 1) }}
{%- endmacro %}

{#- The record id of a node key: everything after the first ':' (an id may hold ':' itself). -#}
{% macro node_key_id(key_expr) -%}
    substring({{ key_expr }}, {{ dbt.position("':'", key_expr) }} + 1)
{%- endmacro %}

{#-
    The rows of links_cte whose two ends are records of records_cte: its from_column and
    to_column both name a record_key there. Links to records that do not exist (deleted,
    never synced) are dropped this way in int_person_identities and int_account_links.
-#}
{% macro links_between_records(links_cte, from_column, to_column, records_cte) -%}
    select {{ links_cte }}.*
    from {{ links_cte }}
    inner join {{ records_cte }} as from_records
        on {{ links_cte }}.{{ from_column }} = from_records.record_key
    inner join {{ records_cte }} as to_records
        on {{ links_cte }}.{{ to_column }} = to_records.record_key
{%- endmacro %}

{#-
    The methods that link person records, in precedence order: a record (or person) reached by
    several is said to be linked by the first (int_person_identities; the links themselves:
    person_record_links, and the shared email). 'transitive': only through other records.
-#}
{% macro person_link_methods() -%}
    {{ return(['hubspot_merge', 'lead_conversion', 'integration_id', 'email', 'transitive']) }}
{%- endmacro %}

{#- The precedence of a link method (1 = first, person_link_methods); null for another value. -#}
{% macro person_link_rank(method_expr) -%}
    case {{ method_expr }}
        {%- for method in person_link_methods() %}
        when '{{ method }}' then {{ loop.index }}
        {%- endfor %}
    end
{%- endmacro %}

{#- The link method of a precedence (person_link_rank); null for another value. -#}
{% macro person_link_method(rank_expr) -%}
    case {{ rank_expr }}
        {%- for method in person_link_methods() %}
        when {{ loop.index }} then '{{ method }}'
        {%- endfor %}
    end
{%- endmacro %}
