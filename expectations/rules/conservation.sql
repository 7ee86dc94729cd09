-- Rule 7 conservation (provisional): raw (not deleted) rows vs staged rows per table.
with

counts as (
    select
        'salesforce.opportunity' as source_table,
        (select count(*) from raw_salesforce.opportunity where not coalesce(is_deleted, false))
            as raw_rows,
        (select count(*) from staging.stg_salesforce__opportunities) as staged_rows
)

select source_table, raw_rows, staged_rows
from counts
where raw_rows <> staged_rows
