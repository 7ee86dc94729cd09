{#-
    Rule 6 orphans: (a) live opportunities and (b) live CRM contacts without a live account;
    (c) marketing email events whose normalised recipient is no live marketing contact's email;
    (d) form submissions whose contact_id is no live marketing contact.
    A part whose parent table is absent from the export (no accounts, no marketing contacts) is
    not checked: an absent table is not evidence of missing parents.
-#}

with

{{ live_tables([
    'salesforce.account', 'hubspot.contact', 'salesforce.opportunity', 'salesforce.contact',
    'hubspot.email_event', 'hubspot.contact_form_submission',
]) }},

live_accounts as (
    select id from salesforce_account
),

live_marketing_contacts as (
    select
        id,
        {{ normalize_email('property_email') }} as email
    from hubspot_contact
)

{% for table_name in ['opportunity', 'contact'] -%}
select
    'salesforce.{{ table_name }}' as record_type,
    r.id as record_id,
    r.account_id as missing_parent,
    '{{ table_name }} without account' as finding
from salesforce_{{ table_name }} as r
where {{ source_exists('salesforce', 'account') }}
    and not exists (
        select 1 from live_accounts as a
        where a.id = r.account_id
    )
union all
{% endfor -%}
select
    'hubspot.email_event' as record_type,
    e.id as record_id,
    e.recipient as missing_parent,
    'email event for unknown recipient' as finding
from hubspot_email_event as e
where {{ source_exists('hubspot', 'contact') }} and not exists (
        select 1 from live_marketing_contacts as h
        where h.email = {{ normalize_email('e.recipient') }}
    )
union all
select
    'hubspot.contact_form_submission' as record_type,
    s.conversion_id as record_id,
    cast(s.contact_id as {{ dbt.type_string() }}) as missing_parent,
    'form submission for unknown contact' as finding
from hubspot_contact_form_submission as s
where {{ source_exists('hubspot', 'contact') }}
    and not exists (
        select 1 from live_marketing_contacts as h
        where h.id = s.contact_id
    )
