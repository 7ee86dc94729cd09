{#-
    Multi-touch attribution of won revenue (docs/attribution.md), one row per won
    opportunity x touchpoint x attribution model x scope. A scope (attribution_scopes():
    marketing, the default, and full_funnel) is the set of journey event types that are its
    touches; every scope is computed on its own, from the same people and window. Touches of
    an opportunity are the touchpoints of its audience (fct_opportunity_audience: its contact
    roles; where it has none, every person with a touch in its account) inside the window [created_at - attribution_lookback_days, won_at], both ends
    included. Rule-based models take their shares from attribution_model_weights(); a touch that
    is several milestones adds their shares; a share with no touch to go to (a missing milestone,
    or `other` with no other touch) is spread equally over the model's milestone touches.
    Credits are exact decimals rounded to 12 places; the largest credit of each conversion takes
    the rounding residual, so credits sum to exactly 1 per conversion, model and scope. A won
    opportunity without any touch in a scope gets one 'unattributed' row per model in that
    scope with credit 1, so attributed revenue = won revenue in every model and scope.
-#}
{%- set lookback_days = var('attribution_lookback_days', 90) -%}
{%- set half_life_days = var('attribution_half_life_days', 7) -%}
{%- set weights = attribution_model_weights() -%}

with

{{ marts_attribution_inputs() }},

conversions as (
    select
        opportunity_id,
        account_id,
        created_at as opportunity_created_at,
        won_at,
        close_date,
        amount_usd as won_revenue_usd,
        {{ dbt.dateadd('day', -1 * lookback_days, 'created_at') }} as window_start_at
    from opportunities
    where is_won
),

conversion_people as (
    select
        conversions.opportunity_id,
        audience.person_id
    from conversions
    inner join audience
        on conversions.opportunity_id = audience.opportunity_id
),

lead_creations as (
    select
        conversion_people.opportunity_id,
        min(journey.occurred_at) as lead_created_at
    from conversion_people
    inner join journey
        on conversion_people.person_id = journey.person_id
    where journey.event_type = 'lead_created'
    group by conversion_people.opportunity_id
),

window_touches as (
    select
        conversions.opportunity_id,
        scope_event_types.scope,
        journey.journey_event_id as touchpoint_id,
        journey.person_id,
        journey.account_id,
        journey.event_type as touch_event_type,
        journey.occurred_at as touched_at,
        journey.channel,
        journey.campaign_id,
        conversions.opportunity_created_at,
        conversions.won_at,
        conversions.close_date,
        conversions.won_revenue_usd,
        lead_creations.lead_created_at
    from conversions
    inner join conversion_people
        on conversions.opportunity_id = conversion_people.opportunity_id
    inner join journey
        on conversion_people.person_id = journey.person_id
    inner join scope_event_types
        on journey.event_type = scope_event_types.event_type
    left join lead_creations
        on conversions.opportunity_id = lead_creations.opportunity_id
    where
        journey.person_id != '-1'
        and journey.occurred_at >= conversions.window_start_at
        and journey.occurred_at <= conversions.won_at
),

positioned as (
    select
        *,
        row_number() over (
            partition by opportunity_id, scope order by touched_at, touchpoint_id
        ) as touch_position,
        count(*) over (partition by opportunity_id, scope) as touch_count
    from window_touches
),

milestone_positions as (
    select
        *,
        max(case when touched_at <= lead_created_at then touch_position end)
            over (partition by opportunity_id, scope) as lead_creation_position,
        max(case when touched_at <= opportunity_created_at then touch_position end)
            over (partition by opportunity_id, scope) as opportunity_creation_position
    from positioned
),

flagged as (
    select
        *,
        touch_position = 1 as is_first_touch,
        coalesce(touch_position = lead_creation_position, false) as is_lead_creation_touch,
        coalesce(touch_position = opportunity_creation_position, false)
            as is_opportunity_creation_touch,
        touch_position = touch_count as is_closed_won_touch,
        lead_creation_position is not null as has_lead_creation_touch,
        opportunity_creation_position is not null as has_opportunity_creation_touch,
        {{ kpi_days_between('touched_at', 'won_at') }} as days_before_win
    from milestone_positions
),

decayed as (
    select
        *,
        power(cast(0.5 as {{ type_double() }}), days_before_win / {{ half_life_days }})
            as decay_weight
    from flagged
),

{# Per rule-based model: is the touch one of the model's milestones, and how many are. #}
model_flags as (
    select
        *,
        {% for model_name, shares in weights.items() -%}
        {{ attribution_is_milestone(shares) }} as is_{{ model_name }}_milestone,
        {% endfor -%}
        sum(decay_weight) over (partition by opportunity_id, scope) as decay_weight_total
    from decayed
),

model_counts as (
    select
        *,
        {% for model_name in weights -%}
        sum(case when is_{{ model_name }}_milestone then 1 else 0 end)
            over (partition by opportunity_id, scope)
            as {{ model_name }}_milestone_count,
        {% endfor -%}
        decay_weight / decay_weight_total as decay_share
    from model_flags
),

{#-
    Data-driven models (fct_attribution_channel_effects): a channel's weight is its Markov
    removal effect or its Shapley value (negative values count 0); each channel of the
    conversion gets weight / the weights of the conversion's channels, split equally over its
    touches; a conversion whose channels all weigh 0 is credited linearly.
-#}
{%- set data_driven = attribution_data_driven_models() %}
{%- if data_driven %}

channel_weights as (
    {% for model_name in data_driven -%}
    select
        scope,
        channel,
        '{{ model_name }}' as attribution_model,
        {#- a double: Spark divides two decimal(38, 12) to 6 places (the weights are shares,
            the credits are rounded to 12 places after the division) #}
        cast(
            {% if model_name == 'markov' -%}
            removal_effect
            {%- else -%}
            greatest(shapley_value, 0)
            {%- endif %} as {{ type_double() }}
        ) as channel_weight
    from {{ ref('fct_attribution_channel_effects') }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

data_driven_models as (
    {% for model_name in data_driven -%}
    select '{{ model_name }}' as attribution_model
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

weighted_touches as (
    select
        model_counts.opportunity_id,
        model_counts.scope,
        model_counts.touchpoint_id,
        model_counts.touch_count,
        data_driven_models.attribution_model,
        coalesce(channel_weights.channel_weight, 0)
        / count(*) over (
            partition by
                model_counts.opportunity_id,
                model_counts.scope,
                data_driven_models.attribution_model,
                coalesce(model_counts.channel, 'unknown')
        ) as touch_weight
    from model_counts
    cross join data_driven_models
    left join channel_weights
        on
            model_counts.scope = channel_weights.scope
            and coalesce(model_counts.channel, 'unknown') = channel_weights.channel
            and data_driven_models.attribution_model = channel_weights.attribution_model
),

data_driven_credits as (
    select
        *,
        sum(touch_weight) over (
            partition by opportunity_id, scope, attribution_model
        ) as conversion_weight
    from weighted_touches
),
{%- endif %}

raw_credits as (
    {% for model_name, shares in weights.items() -%}
    select
        opportunity_id,
        scope,
        touchpoint_id,
        '{{ model_name }}' as attribution_model,
        {{ attribution_rule_credit(model_name, shares) }} as raw_credit
    from model_counts

    union all

    {% endfor -%}
    select
        opportunity_id,
        scope,
        touchpoint_id,
        'linear' as attribution_model,
        1.0 / touch_count as raw_credit
    from model_counts

    union all

    select
        opportunity_id,
        scope,
        touchpoint_id,
        'time_decay' as attribution_model,
        decay_share as raw_credit
    from model_counts
    {%- if data_driven %}

    union all

    select
        opportunity_id,
        scope,
        touchpoint_id,
        attribution_model,
        case
            when conversion_weight > 0 then touch_weight / conversion_weight
            else 1.0 / touch_count
        end as raw_credit
    from data_driven_credits
    {%- endif %}
),

rounded as (
    select
        opportunity_id,
        scope,
        touchpoint_id,
        attribution_model,
        cast(raw_credit as {{ kpi_credit_type() }}) as rounded_credit
    from raw_credits
),

ranked as (
    select
        *,
        sum(rounded_credit) over (
            partition by opportunity_id, scope, attribution_model
        ) as rounded_total,
        row_number() over (
            partition by opportunity_id, scope, attribution_model
            order by rounded_credit desc, touchpoint_id asc
        ) as credit_rank
    from rounded
),

{# The residual is balanced in a decimal narrow enough for exact arithmetic on every engine:
    Spark cuts the scale of decimal(38, 12) sums and differences (they would need 39 digits) to
    11, then 10, and the largest credit came out 0.333333333300 instead of 0.333333333334. #}
credited as (
    select
        ranked.attribution_model,
        ranked.credit_rank,
        model_counts.*,
        cast(
            case
                when ranked.credit_rank = 1
                    then cast(ranked.rounded_credit as {{ credit_residual_type() }})
                        + (
                            cast(1 as {{ credit_residual_type() }})
                            - cast(ranked.rounded_total as {{ credit_residual_type() }})
                        )
                else ranked.rounded_credit
            end as {{ kpi_credit_type() }}
        ) as credit
    from ranked
    inner join model_counts
        on
            ranked.opportunity_id = model_counts.opportunity_id
            and ranked.scope = model_counts.scope
            and ranked.touchpoint_id = model_counts.touchpoint_id
),

attributed as (
    select
        opportunity_id,
        attribution_model,
        scope,
        touchpoint_id,
        person_id,
        account_id,
        touch_event_type,
        touched_at,
        channel,
        campaign_id,
        cast(touch_position as {{ dbt.type_int() }}) as touch_position,
        cast(touch_count as {{ dbt.type_int() }}) as touch_count,
        is_first_touch,
        is_lead_creation_touch,
        is_opportunity_creation_touch,
        is_closed_won_touch,
        days_before_win,
        opportunity_created_at,
        won_at,
        close_date,
        won_revenue_usd,
        credit
    from credited
),

unattributed as (
    {% for model_name in attribution_all_models() -%}
    select
        conversions.opportunity_id,
        '{{ model_name }}' as attribution_model,
        scopes.scope,
        'unattributed' as touchpoint_id,
        cast(null as {{ dbt.type_string() }}) as person_id,
        conversions.account_id,
        'unattributed' as touch_event_type,
        cast(null as {{ dbt.type_timestamp() }}) as touched_at,
        'unattributed' as channel,
        cast(null as {{ dbt.type_string() }}) as campaign_id,
        cast(0 as {{ dbt.type_int() }}) as touch_position,
        cast(0 as {{ dbt.type_int() }}) as touch_count,
        false as is_first_touch,
        false as is_lead_creation_touch,
        false as is_opportunity_creation_touch,
        false as is_closed_won_touch,
        cast(null as {{ type_double() }}) as days_before_win,
        conversions.opportunity_created_at,
        conversions.won_at,
        conversions.close_date,
        conversions.won_revenue_usd,
        cast(1 as {{ kpi_credit_type() }}) as credit
    from conversions
    cross join scopes
    where not exists (
            select 1
            from window_touches
            where
                window_touches.opportunity_id = conversions.opportunity_id
                and window_touches.scope = scopes.scope
        )
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

unioned as (
    select * from attributed
    union all
    select * from unattributed
),

final as (
    select
        {{ surrogate_key(['opportunity_id', 'touchpoint_id', 'attribution_model', 'scope']) }}
            as attribution_id,
        opportunity_id,
        touchpoint_id,
        attribution_model,
        cast(scope as {{ dbt.type_string() }}) as scope,
        person_id,
        account_id,
        touch_event_type,
        touched_at,
        coalesce(channel, 'unknown') as channel,
        campaign_id,
        touch_position,
        touch_count,
        is_first_touch,
        is_lead_creation_touch,
        is_opportunity_creation_touch,
        is_closed_won_touch,
        days_before_win,
        opportunity_created_at,
        won_at,
        close_date,
        {{ kpi_period_start('month', 'close_date') }} as close_month,
        won_revenue_usd,
        credit,
        cast(credit as {{ type_double() }}) * won_revenue_usd as revenue_credit_usd
    from unioned
)

select * from final
