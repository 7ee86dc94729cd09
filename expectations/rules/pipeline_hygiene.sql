-- Rule 12 pipeline_hygiene (provisional): open opportunities past their close date.
select id as opportunity_id, stage_name, close_date
from raw_salesforce.opportunity
where not coalesce(is_deleted, false)
    and not coalesce(is_closed, false)
    and cast(close_date as date) < {{ as_of_date }}
