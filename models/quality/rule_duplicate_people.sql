{#-
    Rule 2 duplicate_people: per system row set, count(*) - count(distinct normalised email),
    returned row by row: every record after the first with the same normalised email, and every
    record without an email (count(distinct) ignores them). Row sets: live HubSpot contacts, live
    Salesforce contacts, live unconverted Salesforce leads. Merged HubSpot records are deleted or
    gone, so they never count.
-#}

{#- (row set, its email column, which of its live rows count: none for all) -#}
{%- set row_sets = [
    ('hubspot.contact', 'property_email', none),
    ('salesforce.contact', 'email', none),
    ('salesforce.lead', 'email', 'not coalesce(is_converted, false)'),
] %}

with

{{ live_tables(['hubspot.contact', 'salesforce.contact', 'salesforce.lead']) }},

people as (
    {% for record_set, email_column, counted in row_sets -%}
    select
        '{{ record_set }}' as record_set,
        cast(id as {{ dbt.type_string() }}) as record_id,
        {{ normalize_email(email_column) }} as email
    from {{ record_set | replace('.', '_') }}
    {% if counted %}where {{ counted }}{% endif %}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

ranked as (
    select
        record_set,
        record_id,
        email,
        row_number() over (partition by record_set, email order by record_id) as nth,
        count(*) over (partition by record_set, email) as records_with_email
    from people
)

select
    record_set,
    record_id,
    email,
    records_with_email,
    case when email is null then 'no email' else 'duplicate email' end as finding
from ranked
where email is null or nth > 1
