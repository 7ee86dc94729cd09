{#-
    The stage changes of each Salesforce opportunity, one row per change (old stage, new stage,
    when), from one of two stage histories, chosen per opportunity:
      field_history        the StageName rows of opportunity_field_history (field-history
                           tracking on for the stage), for every opportunity that has one;
      opportunity_history  else Salesforce's own OpportunityHistory, which every org keeps: a row
                           on creation and on every change of stage, amount, probability or
                           close date. In time order (then id), a row whose stage differs from
                           the row before is a change from that stage; the first row is the
                           stage the opportunity started in, not a change. Rows without a stage
                           or a time say nothing of the stage and are left out.
    Every model that reads the stage history reads it here.
-#}
with

field_history as (
    select * from {{ ref('stg_salesforce__opportunity_field_histories') }}
    where field_name = 'StageName'
),

opportunity_history as (
    select * from {{ ref('stg_salesforce__opportunity_histories') }}
    where stage_name is not null and recorded_at is not null
),

field_history_opportunities as (
    select distinct opportunity_id from field_history
),

field_changes as (
    select
        'field_history' as history_source,
        opportunity_field_history_id as history_row_id,
        opportunity_id,
        old_value,
        new_value,
        changed_at,
        synced_at
    from field_history
),

recorded_states as (
    select
        opportunity_history.opportunity_history_id,
        opportunity_history.opportunity_id,
        opportunity_history.stage_name,
        opportunity_history.recorded_at,
        opportunity_history.synced_at,
        lag(opportunity_history.stage_name) over (
            partition by opportunity_history.opportunity_id
            order by opportunity_history.recorded_at, opportunity_history.opportunity_history_id
        ) as previous_stage_name
    from opportunity_history
    left join field_history_opportunities
        on opportunity_history.opportunity_id = field_history_opportunities.opportunity_id
    where field_history_opportunities.opportunity_id is null
),

recorded_changes as (
    select
        'opportunity_history' as history_source,
        opportunity_history_id as history_row_id,
        opportunity_id,
        previous_stage_name as old_value,
        stage_name as new_value,
        recorded_at as changed_at,
        synced_at
    from recorded_states
    where previous_stage_name is not null and previous_stage_name <> stage_name
),

changes as (
    select * from field_changes
    union all
    select * from recorded_changes
),

final as (
    select
        {{ surrogate_key(['history_source', 'history_row_id']) }} as stage_change_id,
        history_source,
        history_row_id,
        opportunity_id,
        old_value,
        new_value,
        changed_at,
        synced_at
    from changes
)

select * from final
