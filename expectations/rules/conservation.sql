-- Rule 7 conservation (warehouse side): raw rows that could not be staged.
--   * every row quarantined by the loader (raw_quarantine.rejected_rows) for a table with a
--     primary key: in practice web sessions delivered without session_id (one row each);
--   * per table with a primary key, any unexplained difference between its live raw rows and
--     its staged rows (one row per table, offending_rows = the size of the difference).
-- The loader itself asserts per file that rows in file = rows loaded + rows quarantined.
-- Raw tables hold one row per primary key (the loader merges on it), so live raw rows are the
-- rows staging must keep after taking the latest version and dropping soft deletes.
-- product_2 and opportunity_line_item are optional in real exports (and so are their models).
with

quarantined as (
    select
        system,
        table_name,
        cast(line_number as varchar) as detail,
        reason,
        1 as offending_rows
    from {{ optional.raw_quarantine.rejected_rows }} as q
    where not (system = 'ads' and table_name = 'ad_stats')
),

counts as (
    select
        'salesforce' as system,
        'account' as table_name,
        (select count(*) from raw_salesforce.account where not coalesce(is_deleted, false)) as live_raw_rows,
        (select count(*) from staging.stg_salesforce__accounts) as staged_rows
    union all
    select
        'salesforce' as system,
        'lead' as table_name,
        (select count(*) from raw_salesforce.lead where not coalesce(is_deleted, false)) as live_raw_rows,
        (select count(*) from staging.stg_salesforce__leads) as staged_rows
    union all
    select
        'salesforce' as system,
        'contact' as table_name,
        (select count(*) from raw_salesforce.contact where not coalesce(is_deleted, false)) as live_raw_rows,
        (select count(*) from staging.stg_salesforce__contacts) as staged_rows
    union all
    select
        'salesforce' as system,
        'opportunity' as table_name,
        (select count(*) from raw_salesforce.opportunity where not coalesce(is_deleted, false)) as live_raw_rows,
        (select count(*) from staging.stg_salesforce__opportunities) as staged_rows
    union all
    select
        'salesforce' as system,
        'opportunity_contact_role' as table_name,
        (select count(*) from raw_salesforce.opportunity_contact_role) as live_raw_rows,
        (select count(*) from staging.stg_salesforce__opportunity_contact_roles) as staged_rows
    union all
    select
        'salesforce' as system,
        'opportunity_field_history' as table_name,
        (select count(*) from raw_salesforce.opportunity_field_history) as live_raw_rows,
        (select count(*) from staging.stg_salesforce__opportunity_field_histories) as staged_rows
    union all
    select
        'salesforce' as system,
        'task' as table_name,
        (select count(*) from raw_salesforce.task where not coalesce(is_deleted, false)) as live_raw_rows,
        (select count(*) from staging.stg_salesforce__tasks) as staged_rows
    union all
    select
        'salesforce' as system,
        'user' as table_name,
        (select count(*) from raw_salesforce."user") as live_raw_rows,
        (select count(*) from staging.stg_salesforce__users) as staged_rows
    union all
    select
        'salesforce' as system,
        'product_2' as table_name,
        (select count(*) from {{ optional.raw_salesforce.product_2 }} as optional_table) as live_raw_rows,
        (select count(*) from {{ optional.staging.stg_salesforce__products }} as optional_table) as staged_rows
    union all
    select
        'salesforce' as system,
        'opportunity_line_item' as table_name,
        (select count(*) from {{ optional.raw_salesforce.opportunity_line_item }} as optional_table) as live_raw_rows,
        (select count(*) from {{ optional.staging.stg_salesforce__opportunity_line_items }} as optional_table) as staged_rows
    union all
    select
        'hubspot' as system,
        'contact' as table_name,
        (select count(*) from raw_hubspot.contact where not coalesce(_fivetran_deleted, false)) as live_raw_rows,
        (select count(*) from staging.stg_hubspot__contacts) as staged_rows
    union all
    select
        'hubspot' as system,
        'company' as table_name,
        (select count(*) from raw_hubspot.company where not coalesce(is_deleted, false)) as live_raw_rows,
        (select count(*) from staging.stg_hubspot__companies) as staged_rows
    union all
    select
        'hubspot' as system,
        'deal' as table_name,
        (select count(*) from raw_hubspot.deal where not coalesce(is_deleted, false)) as live_raw_rows,
        (select count(*) from staging.stg_hubspot__deals) as staged_rows
    union all
    select
        'hubspot' as system,
        'deal_pipeline_stage' as table_name,
        (select count(*) from raw_hubspot.deal_pipeline_stage) as live_raw_rows,
        (select count(*) from staging.stg_hubspot__deal_pipeline_stages) as staged_rows
    union all
    select
        'hubspot' as system,
        'deal_pipeline' as table_name,
        (select count(*) from raw_hubspot.deal_pipeline) as live_raw_rows,
        (select count(*) from staging.stg_hubspot__deal_pipelines) as staged_rows
    union all
    select
        'hubspot' as system,
        'deal_stage' as table_name,
        (select count(*) from raw_hubspot.deal_stage) as live_raw_rows,
        (select count(*) from staging.stg_hubspot__deal_stage_histories) as staged_rows
    union all
    select
        'hubspot' as system,
        'owner' as table_name,
        (select count(*) from raw_hubspot.owner) as live_raw_rows,
        (select count(*) from staging.stg_hubspot__owners) as staged_rows
    union all
    select
        'hubspot' as system,
        'deal_contact' as table_name,
        (select count(*) from raw_hubspot.deal_contact) as live_raw_rows,
        (select count(*) from staging.stg_hubspot__deal_contacts) as staged_rows
    union all
    select
        'hubspot' as system,
        'deal_company' as table_name,
        (select count(*) from raw_hubspot.deal_company) as live_raw_rows,
        (select count(*) from staging.stg_hubspot__deal_companies) as staged_rows
    union all
    select
        'hubspot' as system,
        'email_campaign' as table_name,
        (select count(*) from raw_hubspot.email_campaign) as live_raw_rows,
        (select count(*) from staging.stg_hubspot__email_campaigns) as staged_rows
    union all
    select
        'hubspot' as system,
        'email_event' as table_name,
        (select count(*) from raw_hubspot.email_event) as live_raw_rows,
        (select count(*) from staging.stg_hubspot__email_events) as staged_rows
    union all
    select
        'hubspot' as system,
        'form' as table_name,
        (select count(*) from raw_hubspot.form) as live_raw_rows,
        (select count(*) from staging.stg_hubspot__forms) as staged_rows
    union all
    select
        'hubspot' as system,
        'contact_form_submission' as table_name,
        (select count(*) from raw_hubspot.contact_form_submission) as live_raw_rows,
        (select count(*) from staging.stg_hubspot__contact_form_submissions) as staged_rows
    union all
    select
        'web' as system,
        'sessions' as table_name,
        (select count(*) from raw_web.sessions) as live_raw_rows,
        (select count(*) from staging.stg_web__sessions) as staged_rows
),

unexplained as (
    select
        system,
        table_name,
        cast(live_raw_rows as varchar) || ' live raw rows, '
        || cast(staged_rows as varchar) || ' staged' as detail,
        'staged rows differ from live raw rows' as reason,
        abs(live_raw_rows - staged_rows) as offending_rows
    from counts
    where live_raw_rows <> staged_rows
)

select system, table_name, detail, reason, cast(offending_rows as bigint) as offending_rows
from quarantined
union all
select system, table_name, detail, reason, cast(offending_rows as bigint) as offending_rows
from unexplained
