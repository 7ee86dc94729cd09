-- Rule 8 reconciliation (provisional): won revenue raw vs staged.
with

raw_won as (
    select sum(amount) as amount
    from raw_salesforce.opportunity
    where coalesce(is_won, false) and not coalesce(is_deleted, false)
),

staged_won as (
    select sum(amount) as amount
    from staging.stg_salesforce__opportunities
    where is_won
)

select 'won revenue' as measure, r.amount as raw_amount, s.amount as mart_amount
from raw_won as r
cross join staged_won as s
where abs(coalesce(r.amount, 0) - coalesce(s.amount, 0)) > 0.01
