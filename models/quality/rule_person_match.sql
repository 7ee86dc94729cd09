{#-
    Rule 1 person_match (docs/quality_rules.md): one row per unmatched person record.
      (a) live CRM leads and (b) live CRM contacts from a marketing lead_source whose normalised
      email matches no live marketing contact; (c) live marketing contacts that became MQL whose
      normalised email matches no live CRM lead or contact. A missing email matches nothing.
-#}

with

{{ live_tables(['hubspot.contact', 'salesforce.lead', 'salesforce.contact']) }},

marketing_emails as (
    select distinct {{ normalize_email('property_email') }} as email
    from hubspot_contact
    where property_email is not null
),

crm_people as (
    {% for table_name in ['lead', 'contact'] -%}
    select
        'salesforce.{{ table_name }}' as record_type,
        id as record_id,
        email,
        lead_source
    from salesforce_{{ table_name }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

crm_emails as (
    select distinct {{ normalize_email('email') }} as email
    from crm_people
    where email is not null
),

crm_without_marketing as (
    select
        p.record_type,
        p.record_id,
        p.email,
        'no marketing contact with this email' as finding
    from crm_people as p
    where p.lead_source in (
            'Paid Search', 'Paid Social', 'Display', 'Organic Search', 'Email', 'Social Media',
            'Referral', 'Trade Show', 'Webinar', 'Partner', 'Web'
        )
        and not exists (
            select 1 from marketing_emails as m
            where m.email = {{ normalize_email('p.email') }}
        )
),

mql_without_crm as (
    select
        'hubspot.contact' as record_type,
        cast(h.id as {{ dbt.type_string() }}) as record_id,
        h.property_email as email,
        'MQL without a CRM lead or contact' as finding
    from hubspot_contact as h
    where h.property_hs_lifecyclestage_marketingqualifiedlead_date is not null
        and not exists (
            select 1 from crm_emails as c
            where c.email = {{ normalize_email('h.property_email') }}
        )
)

select * from crm_without_marketing
union all
select * from mql_without_crm
