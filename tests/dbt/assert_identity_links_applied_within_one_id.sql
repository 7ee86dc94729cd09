-- dim_identity_links tells the truth: an applied link joins two records that resolved to the
-- same account (person); a link not applied says why. Returns the rows that disagree.
select
    identity_link_id,
    entity,
    rule,
    from_record_key,
    to_record_key,
    is_applied,
    not_applied_reason,
    from_resolved_id,
    to_resolved_id
from {{ ref('dim_identity_links') }}
where
    (is_applied and (from_resolved_id is null or from_resolved_id != to_resolved_id))
    or (is_applied and not_applied_reason is not null)
    or (not is_applied and not_applied_reason is null)
