{#-
    The journeys the data-driven attribution models learn from (docs/attribution.md,
    attribution_journeys), one row per journey x scope x touch (a journey without a touch of
    the scope keeps one row with touchpoint_id 'none'):
      won opportunity   converting; its people's touches in [created_at - lookback, won_at]
                        (the touches of fct_attribution, per scope)
      lost opportunity  not converting; its people's touches in [created_at - lookback,
                        lost_at]
      account           not converting: a resolved account with touches and no opportunity at
                        all; the touches of the account in the lookback days up to its last
                        touch of the scope
    opportunity_type is the opportunity's (New Business, Expansion, Renewal; null for an
    account): the Shapley model learns from New Business opportunities alone, and not from
    those created before the scope's touch history began (is_before_touch_history: created
    before the earliest touch of the scope of any known person, so no touch could be recorded
    in their window and their lack of touches is missing data, not an untouched deal).
    The people of an opportunity: its audience (fct_opportunity_audience: its contact roles,
    else every person with a touch of any scope in its account). Open opportunities are left out (no outcome
    yet), and so are touches of people without a resolved account and no opportunity.
-#}
{%- set lookback_days = var('attribution_lookback_days', 90) -%}

with

{{ marts_attribution_inputs() }},

touches as (
    select
        journey.journey_event_id as touchpoint_id,
        journey.person_id,
        journey.account_id,
        journey.event_type,
        journey.occurred_at,
        journey.channel,
        scope_event_types.scope
    from journey
    inner join scope_event_types
        on journey.event_type = scope_event_types.event_type
    where journey.person_id != '-1'
),

closed as (
    select
        opportunity_id as journey_id,
        'opportunity' as journey_kind,
        opportunity_type,
        account_id,
        is_won as is_converting,
        created_at,
        {{ dbt.dateadd('day', -1 * lookback_days, 'created_at') }} as window_start_at,
        case when is_won then won_at else lost_at end as window_end_at
    from opportunities
    where is_won or is_lost
),

closed_people as (
    select
        closed.journey_id,
        audience.person_id
    from closed
    inner join audience
        on closed.journey_id = audience.opportunity_id
),

closed_touches as (
    select
        closed.journey_id,
        closed.journey_kind,
        closed.opportunity_type,
        closed.is_converting,
        closed.created_at,
        touches.scope,
        touches.touchpoint_id,
        touches.event_type,
        touches.occurred_at,
        touches.channel
    from closed
    inner join closed_people
        on closed.journey_id = closed_people.journey_id
    inner join touches
        on closed_people.person_id = touches.person_id
    where
        touches.occurred_at >= closed.window_start_at
        and touches.occurred_at <= closed.window_end_at
),

idle_accounts as (
    select distinct account_id
    from touches
    where
        account_id != '-1'
        and not exists (
            select 1
            from opportunities
            where opportunities.account_id = touches.account_id
        )
),

idle_ends as (
    select
        touches.account_id,
        touches.scope,
        max(touches.occurred_at) as window_end_at
    from touches
    inner join idle_accounts
        on touches.account_id = idle_accounts.account_id
    group by touches.account_id, touches.scope
),

idle_touches as (
    select
        'account:' || idle_ends.account_id as journey_id,
        'account' as journey_kind,
        cast(null as {{ dbt.type_string() }}) as opportunity_type,
        false as is_converting,
        cast(null as {{ dbt.type_timestamp() }}) as created_at,
        touches.scope,
        touches.touchpoint_id,
        touches.event_type,
        touches.occurred_at,
        touches.channel
    from idle_ends
    inner join touches
        on
            idle_ends.account_id = touches.account_id
            and idle_ends.scope = touches.scope
    where
        touches.occurred_at
        >= {{ dbt.dateadd('day', -1 * lookback_days, 'idle_ends.window_end_at') }}
        and touches.occurred_at <= idle_ends.window_end_at
),

untouched as (
    select
        closed.journey_id,
        closed.journey_kind,
        closed.opportunity_type,
        closed.is_converting,
        closed.created_at,
        scopes.scope,
        'none' as touchpoint_id,
        cast(null as {{ dbt.type_string() }}) as event_type,
        cast(null as {{ dbt.type_timestamp() }}) as occurred_at,
        cast(null as {{ dbt.type_string() }}) as channel
    from closed
    cross join scopes
    where not exists (
            select 1
            from closed_touches
            where
                closed_touches.journey_id = closed.journey_id
                and closed_touches.scope = scopes.scope
        )
),

{# the earliest touch of each scope (of a known person): where its touch history begins #}
touch_history as (
    select
        scope,
        min(occurred_at) as history_start_at
    from touches
    group by scope
),

unioned as (
    select * from closed_touches
    union all
    select * from idle_touches
    union all
    select * from untouched
),

final as (
    select
        {{ surrogate_key(['unioned.journey_id', 'unioned.scope', 'unioned.touchpoint_id']) }}
            as journey_touch_id,
        cast(unioned.journey_id as {{ dbt.type_string() }}) as journey_id,
        cast(unioned.journey_kind as {{ dbt.type_string() }}) as journey_kind,
        cast(unioned.opportunity_type as {{ dbt.type_string() }}) as opportunity_type,
        cast(unioned.scope as {{ dbt.type_string() }}) as scope,
        unioned.is_converting,
        coalesce(unioned.created_at < touch_history.history_start_at, false)
            as is_before_touch_history,
        cast(unioned.touchpoint_id as {{ dbt.type_string() }}) as touchpoint_id,
        cast(unioned.event_type as {{ dbt.type_string() }}) as touch_event_type,
        unioned.occurred_at as touched_at,
        cast(
            coalesce(
                unioned.channel, case when unioned.touchpoint_id != 'none' then 'unknown' end
            )
            as {{ dbt.type_string() }}
        ) as channel,
        cast(case when unioned.touchpoint_id = 'none' then 0 else row_number() over (
                    partition by unioned.journey_id, unioned.scope
                    order by unioned.occurred_at, unioned.touchpoint_id
                )
        end as {{ dbt.type_int() }}) as touch_position
    from unioned
    left join touch_history
        on unioned.scope = touch_history.scope
)

select * from final
