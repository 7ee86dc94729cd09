{#-
    Data-driven channel effects (docs/attribution.md, data_driven_attribution), one row per
    scope x channel, learnt from every journey of fct_attribution_journeys (converting and
    not) over the whole history:
      Markov (first order)  states (start), the channels, (conversion), (null); transition
                            probabilities from the journeys' consecutive touches; the chance
                            of reaching (conversion) from (start) is read off the transition
                            matrix raised to the power 2^attribution_markov_squarings (squared
                            that many times: absorbing chains converge, loops included;
                            probabilities below 1e-150 count 0 on the way).
                            Removal effect of a channel = 1 - P(conversion | every transition
                            into the channel goes to (null)) / P(conversion).
      Shapley               players = the scope's channels; worth v(S) = conversion rate of
                            the journeys with a touch whose channel set is a subset of S (0
                            when there is none, so v(empty) = 0: a journey without a touch
                            says nothing of any channel). Exact over
                            all 2^n coalitions up to attribution_shapley_exact_max_channels
                            (12) channels; above, the mean marginal contribution over
                            attribution_shapley_samples (1000) permutations ordered by md5 of
                            (attribution_seed, permutation, channel): same seed, same result.
    All of it is SQL (joins, window sums, bit masks), the same on DuckDB and PostgreSQL.
-#}
{%- set squarings = var('attribution_markov_squarings', 32) -%}
{%- set exact_max = var('attribution_shapley_exact_max_channels', 12) -%}
{%- set samples = var('attribution_shapley_samples', 1000) -%}
{%- set seed = var('attribution_seed', 19) -%}
{#- numbers 0 .. 2^bits - 1: every coalition, and up to 65536 sampled orders -#}
{%- set ns = namespace(bits=[exact_max, 16] | max) -%}

with

journeys as (
    select * from {{ ref('fct_attribution_journeys') }}
),

touched as (
    select
        scope,
        journey_id,
        is_converting,
        touch_position,
        channel
    from journeys
    where touchpoint_id != 'none'
),

paths as (
    select
        *,
        lag(channel) over (
            partition by scope, journey_id order by touch_position
        ) as previous_channel,
        lead(channel) over (
            partition by scope, journey_id order by touch_position
        ) as next_channel
    from touched
),

transitions as (
    select
        scope,
        coalesce(previous_channel, '(start)') as from_state,
        channel as to_state
    from paths

    union all

    select
        scope,
        channel as from_state,
        case when is_converting then '(conversion)' else '(null)' end as to_state
    from paths
    where next_channel is null
),

transition_counts as (
    select
        scope,
        from_state,
        to_state,
        count(*) as transitions
    from transitions
    group by scope, from_state, to_state
),

channels as (
    select distinct
        scope,
        channel
    from touched
),

{# Scenario '(none)' is the chain as observed; any other removes that channel. #}
scenarios as (
    select distinct
        scope,
        '(none)' as removed
    from touched

    union all

    select
        scope,
        channel as removed
    from channels
),

scenario_transitions as (
    select
        scenarios.scope,
        scenarios.removed,
        transition_counts.from_state,
        case
            when transition_counts.to_state = scenarios.removed then '(null)'
            else transition_counts.to_state
        end as to_state,
        transition_counts.transitions,
        sum(transition_counts.transitions) over (
            partition by scenarios.scope, scenarios.removed, transition_counts.from_state
        ) as transitions_out
    from scenarios
    inner join transition_counts
        on scenarios.scope = transition_counts.scope
    where transition_counts.from_state != scenarios.removed
),

absorbing_states as (
    select '(conversion)' as state
    union all
    select '(null)' as state
),

bits as (
    select 0 as n
    union all
    select 1 as n
),

markov_0 as {{ cte_materialized() }} (
    select
        scope,
        removed,
        from_state,
        to_state,
        sum(cast(transitions as {{ type_double() }}) / transitions_out) as probability
    from scenario_transitions
    group by scope, removed, from_state, to_state

    union all

    select
        scenarios.scope,
        scenarios.removed,
        absorbing_states.state as from_state,
        absorbing_states.state as to_state,
        1.0 as probability
    from scenarios
    cross join absorbing_states
),

{% for step in range(squarings) -%}
markov_{{ step + 1 }} as {{ cte_materialized() }} (
    {{ markov_square('markov_' ~ step) }}
),

{% endfor -%}

conversion_chances as (
    select
        scenarios.scope,
        scenarios.removed,
        coalesce(reached.probability, 0) as conversion_probability
    from scenarios
    left join markov_{{ squarings }} as reached
        on
            scenarios.scope = reached.scope
            and scenarios.removed = reached.removed
            and reached.from_state = '(start)'
            and reached.to_state = '(conversion)'
),

removal_effects as (
    select
        removed.scope,
        removed.removed as channel,
        observed.conversion_probability,
        removed.conversion_probability as conversion_probability_without,
        case
            when observed.conversion_probability > 0
                then greatest(
                        1 - removed.conversion_probability / observed.conversion_probability, 0
                    )
            else 0
        end as removal_effect
    from conversion_chances as removed
    inner join conversion_chances as observed
        on removed.scope = observed.scope and observed.removed = '(none)'
    where removed.removed != '(none)'
),

{# Shapley: channels numbered per scope, journeys as bit masks of their channels. #}
channel_bits as (
    select
        scope,
        channel,
        cast(
            power(2, row_number() over (partition by scope order by channel) - 1)
            as {{ dbt.type_bigint() }}
        ) as channel_bit
    from channels
),

channel_counts as (
    select
        scope,
        count(*) as channel_count
    from channel_bits
    group by scope
),

journey_channels as (
    select distinct
        scope,
        journey_id,
        is_converting,
        channel
    from journeys
),

journey_masks as (
    select
        journey_channels.scope,
        journey_channels.journey_id,
        journey_channels.is_converting,
        cast(coalesce(sum(channel_bits.channel_bit), 0) as {{ dbt.type_bigint() }})
            as channel_mask
    from journey_channels
    left join channel_bits
        on
            journey_channels.scope = channel_bits.scope
            and journey_channels.channel = channel_bits.channel
    group by journey_channels.scope, journey_channels.journey_id, journey_channels.is_converting
),

mask_counts as (
    select
        scope,
        channel_mask,
        count(*) as journey_count,
        sum(case when is_converting then 1 else 0 end) as conversion_count
    from journey_masks
    where channel_mask > 0
    group by scope, channel_mask
),

numbers as (
    select
        {% for bit in range(ns.bits) -%}
        b{{ bit }}.n * {{ 2 ** bit }}{% if not loop.last %} + {% endif %}
        {%- endfor %} as number
    from bits as b0
    {%- for bit in range(1, ns.bits) %}
    cross join bits as b{{ bit }}  -- noqa: LT02
    {%- endfor %}
),

{# Exact: every coalition of a scope with at most exact_max channels. #}
coalitions as (
    select
        channel_counts.scope,
        channel_counts.channel_count,
        cast(numbers.number as {{ dbt.type_bigint() }}) as coalition
    from channel_counts
    inner join numbers
        on numbers.number < power(2, channel_counts.channel_count)
    where channel_counts.channel_count <= {{ exact_max }}
),

{# Sampled: each permutation orders the channels by md5(seed, permutation, channel). #}
permutations as (
    select
        channel_counts.scope,
        numbers.number as permutation,
        channel_bits.channel,
        channel_bits.channel_bit,
        row_number() over (
            partition by channel_counts.scope, numbers.number
            order by
                md5(
                    '{{ seed }}:' || cast(numbers.number as {{ dbt.type_string() }})
                    || ':' || channel_bits.channel
                ),
                channel_bits.channel
        ) as position
    from channel_counts
    inner join numbers
        on numbers.number < {{ samples }}
    inner join channel_bits
        on channel_counts.scope = channel_bits.scope
    where channel_counts.channel_count > {{ exact_max }}
),

prefixes as (
    select
        *,
        cast(coalesce(sum(channel_bit) over (
            partition by scope, permutation
            order by position
            rows between unbounded preceding and 1 preceding
        ), 0) as {{ dbt.type_bigint() }}) as coalition
    from permutations
),

needed_coalitions as (
    select
        scope,
        coalition
    from coalitions

    union

    select
        scope,
        coalition + channel_bit as coalition
    from prefixes
),

worths as {{ cte_materialized() }} (
    select
        needed_coalitions.scope,
        needed_coalitions.coalition,
        case
            when sum(mask_counts.journey_count) > 0
                then cast(sum(mask_counts.conversion_count) as {{ type_double() }})
                    / sum(mask_counts.journey_count)
            else 0
        end as worth
    from needed_coalitions
    left join mask_counts
        on
            needed_coalitions.scope = mask_counts.scope
            and (mask_counts.channel_mask & needed_coalitions.coalition)
            = mask_counts.channel_mask
    group by needed_coalitions.scope, needed_coalitions.coalition
),

coalition_sizes as (
    select
        coalitions.scope,
        coalitions.channel_count,
        coalitions.coalition,
        sum(
            case when (coalitions.coalition & channel_bits.channel_bit) != 0 then 1 else 0 end
        ) as coalition_size
    from coalitions
    inner join channel_bits
        on coalitions.scope = channel_bits.scope
    group by coalitions.scope, coalitions.channel_count, coalitions.coalition
),

{# |S|! (n - |S| - 1)! / n!, exact integers from Jinja. #}
shapley_weights as (
    {%- set rows = [] -%}
    {%- for n in range(1, exact_max + 1) -%}
    {%- for k in range(n) -%}
    {%- set f = namespace(k=1, rest=1, n=1) -%}
    {%- for i in range(1, n + 1) -%}
    {%- set f.n = f.n * i -%}
    {%- if i <= k %}{% set f.k = f.k * i %}{% endif -%}
    {%- if i <= n - k - 1 %}{% set f.rest = f.rest * i %}{% endif -%}
    {%- endfor -%}
            {%- do rows.append(
                'select ' ~ n ~ ' as channel_count, ' ~ k ~ ' as coalition_size, cast('
                ~ (f.k * f.rest) ~ ' as ' ~ type_double() ~ ') / ' ~ f.n ~ ' as weight'
            ) -%}
    {%- endfor -%}
    {%- endfor %}
    {{ rows | join('\n    union all\n    ') }}
),

{#
    phi(c) = sum over S without c of w(|S|) (v(S + c) - v(S))
           = sum over T with c of w(|T| - 1) v(T) - sum over T without c of w(|T|) v(T):
    one term per coalition and channel, each coalition's worth read once.
#}
exact_terms as (
    select
        coalition_sizes.scope,
        channel_bits.channel,
        worths.worth,
        case
            when (coalition_sizes.coalition & channel_bits.channel_bit) != 0
                then member_weights.weight
            else -outsider_weights.weight
        end as signed_weight
    from coalition_sizes
    inner join worths
        on
            coalition_sizes.scope = worths.scope
            and coalition_sizes.coalition = worths.coalition
    inner join channel_bits
        on coalition_sizes.scope = channel_bits.scope
    left join shapley_weights as member_weights
        on
            coalition_sizes.channel_count = member_weights.channel_count
            and coalition_sizes.coalition_size - 1 = member_weights.coalition_size
    left join shapley_weights as outsider_weights
        on
            coalition_sizes.channel_count = outsider_weights.channel_count
            and coalition_sizes.coalition_size = outsider_weights.coalition_size
),

exact_values as (
    select
        scope,
        channel,
        sum(signed_weight * worth) as shapley_value
    from exact_terms
    group by scope, channel
),

{# the worth after each channel of an order, minus the worth before it (v(empty) = 0) #}
sample_steps as (
    select
        prefixes.scope,
        prefixes.permutation,
        prefixes.position,
        prefixes.channel,
        worths.worth
    from prefixes
    inner join worths
        on
            prefixes.scope = worths.scope
            and prefixes.coalition + prefixes.channel_bit = worths.coalition
),

sample_contributions as (
    select
        scope,
        channel,
        worth - coalesce(lag(worth) over (
            partition by scope, permutation order by position
        ), 0) as contribution
    from sample_steps
),

sampled_values as (
    select
        scope,
        channel,
        avg(contribution) as shapley_value
    from sample_contributions
    group by scope, channel
),

shapley_values as (
    select
        scope,
        channel,
        shapley_value,
        'exact' as shapley_method
    from exact_values

    union all

    select
        scope,
        channel,
        shapley_value,
        'sampled' as shapley_method
    from sampled_values
),

journey_counts as (
    select
        scope,
        channel,
        count(distinct journey_id) as journey_count,
        count(distinct case when is_converting then journey_id end) as converting_journey_count
    from touched
    group by scope, channel
),

rounded as (
    select
        channels.scope,
        channels.channel,
        journey_counts.journey_count,
        journey_counts.converting_journey_count,
        cast(removal_effects.conversion_probability as {{ kpi_credit_type() }})
            as conversion_probability,
        cast(removal_effects.conversion_probability_without as {{ kpi_credit_type() }})
            as conversion_probability_without,
        cast(removal_effects.removal_effect as {{ kpi_credit_type() }}) as removal_effect,
        cast(shapley_values.shapley_value as {{ kpi_credit_type() }}) as shapley_value,
        shapley_values.shapley_method
    from channels
    inner join journey_counts
        on channels.scope = journey_counts.scope and channels.channel = journey_counts.channel
    inner join removal_effects
        on channels.scope = removal_effects.scope and channels.channel = removal_effects.channel
    inner join shapley_values
        on channels.scope = shapley_values.scope and channels.channel = shapley_values.channel
),

final as (
    select
        {{ surrogate_key(['scope', 'channel']) }} as channel_effect_id,
        cast(scope as {{ dbt.type_string() }}) as scope,
        cast(channel as {{ dbt.type_string() }}) as channel,
        cast(journey_count as {{ dbt.type_bigint() }}) as journey_count,
        cast(converting_journey_count as {{ dbt.type_bigint() }}) as converting_journey_count,
        conversion_probability,
        conversion_probability_without,
        removal_effect,
        cast(
            {{ safe_divide(
                'removal_effect',
                'sum(removal_effect) over (partition by scope)'
            ) }} as {{ type_double() }}
        ) as markov_share,
        shapley_value,
        cast(
            {{ safe_divide(
                'greatest(shapley_value, 0)',
                'sum(greatest(shapley_value, 0)) over (partition by scope)'
            ) }} as {{ type_double() }}
        ) as shapley_share,
        cast(shapley_method as {{ dbt.type_string() }}) as shapley_method
    from rounded
)

select * from final
