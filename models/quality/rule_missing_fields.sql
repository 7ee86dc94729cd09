{#-
    Rule 14 missing_fields: live records that lack a field the marts rely on. They are kept
    with a documented fallback, never dropped (severity policy: a row-level finding):
      salesforce.opportunity created_date (created_at estimated: its first stage change, else
        the start of its close day, else its first sync) and close_date (no win/loss day);
      salesforce.lead created_date and email, salesforce.contact email, hubspot.contact
        property_createdate and property_email (a person without email links through ids only).
    One row per (record, field).
-#}

{#- (system, table, soft-delete column, field, whether the field is an email) -#}
{%- set fields = [
    ('salesforce', 'opportunity', 'is_deleted', 'created_date', false),
    ('salesforce', 'opportunity', 'is_deleted', 'close_date', false),
    ('salesforce', 'lead', 'is_deleted', 'created_date', false),
    ('salesforce', 'lead', 'is_deleted', 'email', true),
    ('salesforce', 'contact', 'is_deleted', 'email', true),
    ('hubspot', 'contact', '_fivetran_deleted', 'property_createdate', false),
    ('hubspot', 'contact', '_fivetran_deleted', 'property_email', true),
] %}

with

missing as (
    {% for system, table_name, deleted, field, is_email in fields -%}
    select
        '{{ system }}.{{ table_name }}' as record_type,
        cast(id as {{ dbt.type_string() }}) as record_id,
        '{{ field }}' as field
    from {{ contract_source(system, table_name) }}
    where
        not coalesce({{ deleted }}, false)
        and {{ normalize_email(field) if is_email else field }} is null
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
)

select
    record_type,
    record_id,
    field,
    'missing ' || field as finding
from missing
