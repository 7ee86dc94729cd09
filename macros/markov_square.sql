{#-
    One squaring of the Markov transition matrix (fct_attribution_channel_effects): the rows
    (scope, removed, from_state, to_state, probability) of M x M from the rows of M (``prev``,
    a CTE name). A transient probability decays to 0 with the steps; below 1e-150 it is 0
    (PostgreSQL raises on a double underflow, and nothing of it reaches 12 decimals).
-#}
{% macro markov_square(prev) -%}
    {{ return(adapter.dispatch('markov_square', 'revops')(prev)) }}
{%- endmacro %}

{#- DuckDB, PostgreSQL: a self join of the previous matrix (materialised CTEs). -#}
{% macro default__markov_square(prev) -%}
    select
        a.scope,
        a.removed,
        a.from_state,
        b.to_state,
        sum(a.probability * b.probability) as probability
    from {{ prev }} as a
    inner join {{ prev }} as b
        on
            a.scope = b.scope
            and a.removed = b.removed
            and a.to_state = b.from_state
    where a.probability > 1e-150 and b.probability > 1e-150
    group by a.scope, a.removed, a.from_state, b.to_state
{%- endmacro %}

{#-
    Spark inlines every CTE into each reference (no materialised CTEs): the self join reads the
    previous squaring twice, so the plan of the 32nd squaring would hold 2^32 copies of the
    first (the model never got past analysis). Here the previous matrix is read once: each
    entry goes to its middle state twice, as a left factor (middle = to_state) and as a right
    factor (middle = from_state); per middle state the left and right factors are collected
    and every pair multiplied (two explodes of the same row, no second read). The same sums
    of the same products as the join; only the order of the additions may differ.
-#}
{% macro spark__markov_square(prev) -%}
    select
        scope,
        removed,
        l.state as from_state,
        r.state as to_state,
        sum(l.probability * r.probability) as probability
    from (
        select
            scope,
            removed,
            f.middle,
            collect_list(
                case when f.is_left then named_struct('state', f.other, 'probability', probability) end
            ) as lefts,
            collect_list(
                case when not f.is_left then named_struct('state', f.other, 'probability', probability) end
            ) as rights
        from {{ prev }}
        lateral view explode(array(
            named_struct('is_left', true, 'middle', to_state, 'other', from_state),
            named_struct('is_left', false, 'middle', from_state, 'other', to_state)
        )) factors as f
        where probability > 1e-150
        group by scope, removed, f.middle
    ) as by_middle
    lateral view explode(lefts) left_factors as l
    lateral view explode(rights) right_factors as r
    group by scope, removed, l.state, r.state
{%- endmacro %}
