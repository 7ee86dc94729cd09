{#-
    Rule 7 conservation (warehouse side): raw rows that could not be staged.
      * every row quarantined by the loader (raw_quarantine.rejected_rows, a relation that
        exists only once a row was quarantined) for a table with a primary key: in practice
        web sessions delivered without session_id (one row each);
      * per table with a primary key, any unexplained difference between its live raw rows and
        its staged rows (one row per table, offending_rows = the size of the difference).
    The loader itself asserts per file that rows in file = rows loaded + rows quarantined.
    Raw tables hold one row per primary key (the loader merges on it), so live raw rows are the
    rows staging must keep after taking the latest version and dropping soft deletes. A raw
    table absent from the export counts as empty, and so does its staging model.
    offending_rows: the runner sums it (findings that are counts).
-#}

{#- (system, raw table, its staging model) -#}
{%- set staged = [
    ('salesforce', 'account', 'stg_salesforce__accounts'),
    ('salesforce', 'lead', 'stg_salesforce__leads'),
    ('salesforce', 'contact', 'stg_salesforce__contacts'),
    ('salesforce', 'opportunity', 'stg_salesforce__opportunities'),
    ('salesforce', 'opportunity_contact_role', 'stg_salesforce__opportunity_contact_roles'),
    ('salesforce', 'opportunity_field_history', 'stg_salesforce__opportunity_field_histories'),
    ('salesforce', 'opportunity_history', 'stg_salesforce__opportunity_histories'),
    ('salesforce', 'task', 'stg_salesforce__tasks'),
    ('salesforce', 'user', 'stg_salesforce__users'),
    ('salesforce', 'product_2', 'stg_salesforce__products'),
    ('salesforce', 'opportunity_line_item', 'stg_salesforce__opportunity_line_items'),
    ('hubspot', 'contact', 'stg_hubspot__contacts'),
    ('hubspot', 'company', 'stg_hubspot__companies'),
    ('hubspot', 'deal', 'stg_hubspot__deals'),
    ('hubspot', 'deal_pipeline_stage', 'stg_hubspot__deal_pipeline_stages'),
    ('hubspot', 'deal_pipeline', 'stg_hubspot__deal_pipelines'),
    ('hubspot', 'deal_stage', 'stg_hubspot__deal_stage_histories'),
    ('hubspot', 'owner', 'stg_hubspot__owners'),
    ('hubspot', 'deal_contact', 'stg_hubspot__deal_contacts'),
    ('hubspot', 'deal_company', 'stg_hubspot__deal_companies'),
    ('hubspot', 'email_campaign', 'stg_hubspot__email_campaigns'),
    ('hubspot', 'email_event', 'stg_hubspot__email_events'),
    ('hubspot', 'form', 'stg_hubspot__forms'),
    ('hubspot', 'contact_form_submission', 'stg_hubspot__contact_form_submissions'),
    ('web', 'sessions', 'stg_web__sessions'),
] -%}
{%- set rejected = source('quarantine', 'rejected_rows') -%}
{%- set rejected_exists = execute and adapter.get_relation(
    database=rejected.database, schema=rejected.schema, identifier=rejected.identifier
) is not none %}

with

quarantined as (
    {% if rejected_exists -%}
    select
        system,
        table_name,
        cast(line_number as {{ dbt.type_string() }}) as detail,
        reason,
        cast(1 as {{ dbt.type_bigint() }}) as offending_rows
    from {{ rejected }}
    where not (system = 'ads' and table_name = 'ad_stats')
    {%- else -%}
    select
        cast(null as {{ dbt.type_string() }}) as system,
        cast(null as {{ dbt.type_string() }}) as table_name,
        cast(null as {{ dbt.type_string() }}) as detail,
        cast(null as {{ dbt.type_string() }}) as reason,
        cast(1 as {{ dbt.type_bigint() }}) as offending_rows
    where 1 = 0
    {%- endif %}
),

counts as (
    {% for system, table_name, model_name in staged -%}
    {%- set deleted = soft_delete_column(system, table_name) -%}
    select
        '{{ system }}' as system,
        '{{ table_name }}' as table_name,
        (
            select count(*) from {{ contract_source(system, table_name) }}
            {%- if deleted %} where not coalesce({{ deleted }}, false){% endif %}
        ) as live_raw_rows,
        (select count(*) from {{ ref(model_name) }}) as staged_rows
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

unexplained as (
    select
        system,
        table_name,
        cast(live_raw_rows as {{ dbt.type_string() }}) || ' live raw rows, '
        || cast(staged_rows as {{ dbt.type_string() }}) || ' staged' as detail,
        'staged rows differ from live raw rows' as reason,
        cast(abs(live_raw_rows - staged_rows) as {{ dbt.type_bigint() }}) as offending_rows
    from counts
    where live_raw_rows != staged_rows
)

select * from quarantined
union all
select * from unexplained
