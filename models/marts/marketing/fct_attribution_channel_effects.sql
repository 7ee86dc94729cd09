{#-
    Data-driven channel effects (docs/attribution.md, data_driven_attribution), one row per
    scope x channel, over the whole history of fct_attribution_journeys:
      Markov (first order)  learnt from every journey with a touch (converting and not).
                            States (start), the channels, (conversion), (null); transition
                            probabilities from the journeys' consecutive touches; the chance
                            of reaching (conversion) from (start) is read off the transition
                            matrix raised to the power 2^attribution_markov_squarings (squared
                            that many times: absorbing chains converge, loops included;
                            probabilities below 1e-150 count 0 on the way).
                            Removal effect of a channel = 1 - P(conversion | every transition
                            into the channel goes to (null)) / P(conversion).
      Shapley               learnt from the New Business opportunities alone (won or lost,
                            touched or not): renewals and expansions are decided by the
                            customer relationship, and an account without an opportunity has
                            no deal to win. Not from those created before the scope's touch
                            history began (is_before_touch_history): their lack of touches
                            is missing data (CRM history often predates marketing data).
                            Players = the scope's channels; worth v(S) = the
                            conversion rate of an opportunity exposed to exactly the channels
                            S, estimated by least squares (a linear probability model):
                              is_converting = b0 + sum over the journey's channels c of b_c,
                            attribution_shapley_ridge (1) added to each b_c's diagonal (two
                            channels that always come together share their effect). So
                            v(empty) = b0, the baseline (conversions that happen without any
                            touch of the scope), every coalition has a worth (observed or not),
                            and the Shapley value of c is exactly b_c (v is additive): no
                            coalition is enumerated. The normal equations are solved by
                            Gauss-Jordan elimination, one CTE per pivot, up to
                            attribution_shapley_max_channels (16: the seed channels.csv has
                            14; each step costs 201 fits on every engine) channels per scope
                            (above, shapley_value would be null and the contract's not_null
                            fails: raise the var when you add channels).
                            shapley_share = b_c x learning_journey_count over the scope's
                            sum of the same, signed (a channel without effect is as likely
                            to come out below 0 as above; counting only the positive ones
                            would bias every share): the share of the New Business deals
                            the channels added (the Shapley value of the company-wide
                            game); null when the sum is not positive.
      Shapley interval      shapley_share_lower / _upper, a 90% bootstrap: draw 0 is the data
                            as observed (the point estimate); draws 1 ..
                            attribution_bootstrap_draws (200) resample the scope's
                            learning_opportunity_count New Business opportunities with
                            replacement (fixed draws: attribution_bootstrap_ctes, the integer
                            hash of kpi_channel_attribution_intervals, attribution_seed), weigh
                            X'X and X'y by how often each opportunity was drawn (summed per
                            pattern of columns), and re-fit: the same Gauss-Jordan steps,
                            partitioned by scope and draw. The bounds are the 5th and 95th
                            percentiles (kpi_percentile) of the draws' shapley_share. If the
                            model's assumptions hold, the true share lies between them 9 times
                            out of 10; the model's own bias is not in it.
    All of it is SQL (joins, window functions), the same on DuckDB, PostgreSQL and Spark
    (doubles throughout, cast to decimal(38, 12) at the end).
-#}
{%- set squarings = var('attribution_markov_squarings', 32) -%}
{%- set max_channels = var('attribution_shapley_max_channels', 16) -%}
{%- set ridge = var('attribution_shapley_ridge', 1) -%}
{%- set draws = var('attribution_bootstrap_draws', 200) -%}

with

journeys as (
    select * from {{ ref('fct_attribution_journeys') }}
),

touched as (
    select
        scope,
        journey_id,
        opportunity_type,
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

{#
    Shapley: the worth of a set S of channels is the conversion rate a New Business
    opportunity exposed to exactly S is expected to have, read off a linear probability model
    fitted on the New Business opportunities (touched or not):
        is_converting = b0 + sum over its channels c of b_c
    (least squares, plus attribution_shapley_ridge on each b_c's diagonal). v(S) = b0 + sum
    of b_c over S, so v(empty) = b0 (the baseline) and the Shapley value of c is exactly b_c.
#}
channel_indexes as (
    select
        scope,
        channel,
        row_number() over (partition by scope order by channel) as channel_index
    from channels
),

channel_counts as (
    select
        scope,
        count(*) as channel_count
    from channels
    group by scope
),

{#
    The learning opportunities: New Business, won or lost, touched or not, created since the
    scope's touch history began (an older one could not have a touch recorded: missing data,
    not an untouched deal)
#}
learning_journeys as (
    select distinct
        scope,
        journey_id,
        case when is_converting then 1.0 else 0.0 end as converted
    from journeys
    where
        opportunity_type = 'New Business'
        and coalesce(is_before_touch_history, false) = false
),

{# the design matrix, sparse: column 0 (every journey), column i (journey has channel i) #}
design as (
    select
        scope,
        journey_id,
        0 as column_index
    from learning_journeys

    union

    select
        journeys.scope,
        journeys.journey_id,
        channel_indexes.channel_index as column_index
    from journeys
    inner join learning_journeys
        on
            journeys.scope = learning_journeys.scope
            and journeys.journey_id = learning_journeys.journey_id
    inner join channel_indexes
        on journeys.scope = channel_indexes.scope and journeys.channel = channel_indexes.channel
),

{#
    Journeys with the same columns weigh the normal equations alike: each journey's pattern
    is the sum of 2^column over its columns (exact in a bigint up to 62 channels), so a draw
    sums its multiplicities per pattern, not per journey.
#}
journey_patterns as (
    select
        scope,
        journey_id,
        sum(cast(power(2, column_index) as {{ dbt.type_bigint() }})) as pattern
    from design
    group by scope, journey_id
),

pattern_columns as (
    select distinct
        journey_patterns.scope,
        journey_patterns.pattern,
        design.column_index
    from journey_patterns
    inner join design
        on journey_patterns.scope = design.scope and journey_patterns.journey_id = design.journey_id
),

{# the learning opportunities numbered 0 .. n - 1 per scope, the bootstrap's sample #}
learning_opportunities as (
    select
        learning_journeys.scope,
        learning_journeys.converted,
        journey_patterns.pattern,
        row_number() over (
            partition by learning_journeys.scope order by learning_journeys.journey_id
        ) - 1 as opportunity_index,
        count(*) over (partition by learning_journeys.scope) as opportunity_count
    from learning_journeys
    inner join journey_patterns
        on
            learning_journeys.scope = journey_patterns.scope
            and learning_journeys.journey_id = journey_patterns.journey_id
),

{#
    Draw 0 is the data as observed (every opportunity once): the point estimate. Draws 1 ..
    attribution_bootstrap_draws resample the learning opportunities with replacement
    (attribution_bootstrap_ctes: fixed draws, the same on every engine) and re-fit.
#}
{{ attribution_bootstrap_ctes(
    'multiplicities', 'learning_opportunities', 'opportunity_index', 'opportunity_count',
    partition_by=['scope']
) }}

draw_numbers as (
    select 0 as draw

    union all

    select cast(draw as {{ dbt.type_int() }}) as draw
    from multiplicities_numbers
    where draw <= {{ draws }}
),

sample_draws as (
    select
        scope,
        cast(draw as {{ dbt.type_int() }}) as draw,
        item_index as opportunity_index,
        times_drawn
    from multiplicities

    union all

    select
        scope,
        0 as draw,
        opportunity_index,
        1 as times_drawn
    from learning_opportunities
),

draw_patterns as (
    select
        learning_opportunities.scope,
        sample_draws.draw,
        learning_opportunities.pattern,
        cast(sum(sample_draws.times_drawn) as {{ type_double() }}) as weight,
        cast(
            sum(sample_draws.times_drawn * learning_opportunities.converted)
            as {{ type_double() }}
        ) as wins
    from learning_opportunities
    inner join sample_draws
        on
            learning_opportunities.scope = sample_draws.scope
            and learning_opportunities.opportunity_index = sample_draws.opportunity_index
    group by learning_opportunities.scope, sample_draws.draw, learning_opportunities.pattern
),

{# the columns of a pattern's row of [X'X | X'y]: its own columns and -1 for X'y #}
pattern_cells as (
    select
        scope,
        pattern,
        column_index
    from pattern_columns

    union all

    select distinct
        scope,
        pattern,
        -1 as column_index
    from pattern_columns
),

{#
    X'X (columns 0 .. n) and X'y (column -1) of each draw, the normal equations' augmented
    matrix: each pattern adds its weight (times drawn) to X'X and its wins to X'y, in one read
    of draw_patterns
#}
gram as (
    select
        draw_patterns.scope,
        draw_patterns.draw,
        rows_.column_index as row_index,
        columns_.column_index,
        sum(
            case
                when columns_.column_index = -1 then draw_patterns.wins
                else draw_patterns.weight
            end
        ) as entry
    from draw_patterns
    inner join pattern_columns as rows_
        on draw_patterns.scope = rows_.scope and draw_patterns.pattern = rows_.pattern
    inner join pattern_cells as columns_
        on draw_patterns.scope = columns_.scope and draw_patterns.pattern = columns_.pattern
    group by draw_patterns.scope, draw_patterns.draw, rows_.column_index, columns_.column_index
),

matrix_indexes as (
    select
        scope,
        0 as matrix_index
    from channel_counts

    union all

    select
        scope,
        channel_index as matrix_index
    from channel_indexes
),

{# the columns: every row's index, and -1 for the right-hand side X'y #}
matrix_columns as (
    select
        scope,
        matrix_index
    from matrix_indexes

    union all

    select
        scope,
        -1 as matrix_index
    from channel_counts
),

matrix_0 as (
    select
        rows_.scope,
        draw_numbers.draw,
        rows_.matrix_index as row_index,
        columns_.matrix_index as column_index,
        coalesce(gram.entry, 0)
        + case
            when rows_.matrix_index = columns_.matrix_index and rows_.matrix_index > 0
                then {{ ridge }}
            else 0
        end as entry
    from matrix_indexes as rows_
    inner join matrix_columns as columns_
        on rows_.scope = columns_.scope
    cross join draw_numbers
    left join gram
        on
            rows_.scope = gram.scope
            and draw_numbers.draw = gram.draw
            and rows_.matrix_index = gram.row_index
            and columns_.matrix_index = gram.column_index
),

{#
    Gauss-Jordan elimination, one pivot per step (the matrix is symmetric positive definite
    with a ridge, so no row exchange is needed; a zero pivot, a channel without any New
    Business opportunity and no ridge, is skipped and leaves b_c = 0). Each step reads the
    previous one once (window maxima), so no engine re-plans it exponentially.
#}
{% for step in range(max_channels + 1) -%}
pivots_{{ step }} as (
    select
        scope,
        draw,
        row_index,
        column_index,
        entry,
        max(case when row_index = {{ step }} then entry end) over (
            partition by scope, draw, column_index
        ) as pivot_row_entry,
        max(case when column_index = {{ step }} then entry end) over (
            partition by scope, draw, row_index
        ) as pivot_column_entry,
        max(case when row_index = {{ step }} and column_index = {{ step }} then entry end)
            over (partition by scope, draw) as pivot_entry
    from matrix_{{ step }}
),

matrix_{{ step + 1 }} as {{ cte_materialized() }} (
    select
        scope,
        draw,
        row_index,
        column_index,
        case
            when pivot_entry is null or pivot_entry = 0 then entry
            when row_index = {{ step }} then entry / pivot_entry
            else entry - pivot_column_entry * pivot_row_entry / pivot_entry
        end as entry
    from pivots_{{ step }}
),

{% endfor -%}

{#
    Each draw's lift b_c (draw 0: the point estimate) and shapley_share: the deals the
    channel added, its lift times the learning deals of the draw it touched (X'X's diagonal),
    over the scope's sum, signed (a negative lift is a negative estimate, not 0: dropping
    the negative ones would hand the noise of every channel without effect to the sum's
    positive side and shrink the others' shares); a draw whose sum is not positive has no
    share (null, left out of the percentiles). The solved matrix is read once (Spark would
    solve it again per read).
#}
draw_lifts as (
    select
        solved.scope,
        solved.row_index as channel_index,
        solved.draw,
        solved.entry as lift,
        coalesce(touched_deals.entry, 0) as deals_touched,
        solved.entry * coalesce(touched_deals.entry, 0) as deals_added
    from matrix_{{ max_channels + 1 }} as solved
    left join gram as touched_deals
        on
            solved.scope = touched_deals.scope
            and solved.draw = touched_deals.draw
            and solved.row_index = touched_deals.row_index
            and solved.row_index = touched_deals.column_index
    where solved.column_index = -1 and solved.row_index > 0
),

draw_shares as (
    select
        scope,
        channel_index,
        draw,
        lift,
        deals_touched,
        case
            when sum(deals_added) over (partition by scope, draw) > 0
                then deals_added / sum(deals_added) over (partition by scope, draw)
        end as share
    from draw_lifts
),

channel_fits as (
    select
        scope,
        channel_index,
        max(case when draw = 0 then lift end) as lift,
        max(case when draw = 0 then share end) as share,
        max(case when draw = 0 then deals_touched end) as deals_touched,
        {{ kpi_percentile('case when draw > 0 then share end', 0.05) }} as share_lower,
        {{ kpi_percentile('case when draw > 0 then share end', 0.95) }} as share_upper
    from draw_shares
    group by scope, channel_index
),

shapley_values as (
    select
        channel_indexes.scope,
        channel_indexes.channel,
        case
            when channel_counts.channel_count <= {{ max_channels }} then channel_fits.lift
        end as shapley_value,
        case
            when channel_counts.channel_count <= {{ max_channels }} then channel_fits.share
        end as shapley_share,
        coalesce(channel_fits.deals_touched, 0) as learning_journey_count,
        case
            when channel_counts.channel_count <= {{ max_channels }}
                then channel_fits.share_lower
        end as shapley_share_lower,
        case
            when channel_counts.channel_count <= {{ max_channels }}
                then channel_fits.share_upper
        end as shapley_share_upper,
        'exact' as shapley_method
    from channel_indexes
    inner join channel_counts
        on channel_indexes.scope = channel_counts.scope
    left join channel_fits
        on
            channel_indexes.scope = channel_fits.scope
            and channel_indexes.channel_index = channel_fits.channel_index
),

learning_counts as (
    select
        scope,
        count(*) as learning_opportunity_count
    from learning_journeys
    group by scope
),

journey_counts as (
    select
        scope,
        channel,
        count(distinct journey_id) as journey_count,
        count(distinct case when is_converting then journey_id end) as converting_journey_count,
        count(distinct case when opportunity_type = 'New Business' then journey_id end)
            as new_business_journey_count
    from touched
    group by scope, channel
),

rounded as (
    select
        channels.scope,
        channels.channel,
        journey_counts.journey_count,
        journey_counts.converting_journey_count,
        journey_counts.new_business_journey_count,
        cast(removal_effects.conversion_probability as {{ kpi_credit_type() }})
            as conversion_probability,
        cast(removal_effects.conversion_probability_without as {{ kpi_credit_type() }})
            as conversion_probability_without,
        cast(removal_effects.removal_effect as {{ kpi_credit_type() }}) as removal_effect,
        cast(shapley_values.shapley_value as {{ kpi_credit_type() }}) as shapley_value,
        cast(shapley_values.shapley_share as {{ kpi_credit_type() }}) as shapley_share,
        shapley_values.learning_journey_count,
        cast(shapley_values.shapley_share_lower as {{ kpi_credit_type() }})
            as shapley_share_lower,
        cast(shapley_values.shapley_share_upper as {{ kpi_credit_type() }})
            as shapley_share_upper,
        shapley_values.shapley_method,
        coalesce(learning_counts.learning_opportunity_count, 0) as learning_opportunity_count
    from channels
    inner join journey_counts
        on channels.scope = journey_counts.scope and channels.channel = journey_counts.channel
    inner join removal_effects
        on channels.scope = removal_effects.scope and channels.channel = removal_effects.channel
    inner join shapley_values
        on channels.scope = shapley_values.scope and channels.channel = shapley_values.channel
    left join learning_counts
        on channels.scope = learning_counts.scope
),

final as (
    select
        {{ surrogate_key(['scope', 'channel']) }} as channel_effect_id,
        cast(scope as {{ dbt.type_string() }}) as scope,
        cast(channel as {{ dbt.type_string() }}) as channel,
        cast(journey_count as {{ dbt.type_bigint() }}) as journey_count,
        cast(converting_journey_count as {{ dbt.type_bigint() }}) as converting_journey_count,
        cast(new_business_journey_count as {{ dbt.type_bigint() }}) as new_business_journey_count,
        cast(learning_journey_count as {{ dbt.type_bigint() }}) as learning_journey_count,
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
        cast(shapley_share as {{ type_double() }}) as shapley_share,
        cast(shapley_share_lower as {{ type_double() }}) as shapley_share_lower,
        cast(shapley_share_upper as {{ type_double() }}) as shapley_share_upper,
        cast(shapley_method as {{ dbt.type_string() }}) as shapley_method,
        cast(learning_opportunity_count as {{ dbt.type_bigint() }}) as learning_opportunity_count,
        cast({{ draws }} as {{ dbt.type_int() }}) as bootstrap_draws
    from rounded
)

select * from final
