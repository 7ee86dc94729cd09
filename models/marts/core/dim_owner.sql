{#-
    Record owners (grain: owner_id): the Salesforce users who own accounts, leads, contacts,
    opportunities and tasks, with their name, role and manager, so a BI tool shows people
    instead of ids. Every owner id the CRM records reference is here, also when the user
    export lacks it (or the export has no user table at all: contract_source makes it an empty
    relation): such an owner has no name (is_in_user_export false). The unknown member
    'unknown' is the owner facts default to when a record has none (fct_lead_follow_up,
    kpi_sales_performance, kpi_lead_sla). Names of the company's own users are business data;
    their email addresses stay in staging.
-#}
with

users as (
    select * from {{ ref('stg_salesforce__users') }}
),

referenced as (
    select owner_id from {{ ref('stg_salesforce__accounts') }}
    union
    select owner_id from {{ ref('stg_salesforce__leads') }}
    union
    select owner_id from {{ ref('stg_salesforce__contacts') }}
    union
    select owner_id from {{ ref('stg_salesforce__opportunities') }}
    union
    select owner_id from {{ ref('stg_salesforce__tasks') }}
),

owner_ids as (
    select user_id as owner_id from users
    union
    select cast(owner_id as {{ dbt.type_string() }}) from referenced
    where owner_id is not null and cast(owner_id as {{ dbt.type_string() }}) <> 'unknown'
),

owners as (
    select
        owner_ids.owner_id,
        users.user_name as owner_name,
        users.user_role as owner_role,
        users.manager_id,
        managers.user_name as manager_name,
        users.is_active,
        users.user_id is not null as is_in_user_export,
        false as is_unknown_member
    from owner_ids
    left join users
        on owner_ids.owner_id = users.user_id
    left join users as managers
        on users.manager_id = managers.user_id
),

{{ marts_dimension_with_unknown_member('owners', [
    ('owner_id', 'string', "'unknown'"),
    ('owner_name', 'string', "'Unknown owner'"),
    ('owner_role', 'string'),
    ('manager_id', 'string'),
    ('manager_name', 'string'),
    ('is_active', 'boolean'),
    ('is_in_user_export', 'boolean', 'false'),
    ('is_unknown_member', 'boolean', 'true'),
]) }}
