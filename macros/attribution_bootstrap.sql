{#-
    Fixed bootstrap draws, as CTEs (docs/attribution.md, attribution_intervals): draw b
    (1 .. attribution_bootstrap_draws) of a sample of n items indexed 0 .. n - 1 fills n slots;
    slot i takes item h mod n, h a 32-bit integer hash of (b, i, attribution_seed): two
    rounds of x = (x xor x >> 16) * 73244475 mod 2^32, then x xor x >> 16 (products stay
    below 2^59), integer arithmetic every engine computes alike. The draws that both
    kpi_channel_attribution_intervals and the Shapley interval of
    fct_attribution_channel_effects read, resampled within each partition (e.g. scope).
    Emits the CTEs <name>_bits, <name>_numbers (draw: 1 .. 2^16), <name>_slots,
    <name>_mixed_once, <name>_mixed_twice and <name> (partition columns, draw, item_index,
    times_drawn: how often draw b took the item, an int, so that a decimal(24, 12) times it
    stays within Spark's 38 digits; items never drawn have no row), each
    reading the previous one once; a comma follows the last.
-#}
{% macro attribution_bootstrap_ctes(
    name, sample, index_column, size_column, partition_by=[], draws=none, seed=none
) -%}
{%- set draws = var('attribution_bootstrap_draws', 200) if draws is none else draws -%}
{%- set seed = var('attribution_seed', 19) if seed is none else seed -%}
{%- set keys = [] -%}
{%- for column in partition_by -%}{%- do keys.append(column ~ ', ') -%}{%- endfor -%}
{%- set bits = 16 -%}
{{ name }}_bits as (
    select 0 as n
    union all
    select 1 as n
),

{{ name }}_numbers as (
    select
        cast(
            {% for bit in range(bits) -%}
            b{{ bit }}.n * {{ 2 ** bit }}{% if not loop.last %} + {% endif %}
            {%- endfor %} + 1 as {{ dbt.type_bigint() }}
        ) as draw
    from {{ name }}_bits as b0
    {%- for bit in range(1, bits) %}
    cross join {{ name }}_bits as b{{ bit }}  -- noqa: LT02
    {%- endfor %}
),

{{ name }}_slots as (
    select
        {% for column in partition_by -%}
        {{ sample }}.{{ column }},
        {% endfor -%}
        {{ name }}_numbers.draw,
        cast({{ sample }}.{{ size_column }} as {{ dbt.type_bigint() }}) as sample_size,
        mod(
            {{ name }}_numbers.draw * 1000003
            + cast({{ sample }}.{{ index_column }} as {{ dbt.type_bigint() }}) * 7919
            + {{ seed }} * 104729,
            4294967296
        ) as state_0
    from {{ name }}_numbers
    inner join {{ sample }}
        on {{ name }}_numbers.draw <= {{ draws }}
),

{{ name }}_mixed_once as (
    select
        {{ keys | join('') }}draw,
        sample_size,
        mod({{ bit_xor('state_0', 'state_0 >> 16') }} * 73244475, 4294967296) as state_1
    from {{ name }}_slots
),

{{ name }}_mixed_twice as (
    select
        {{ keys | join('') }}draw,
        sample_size,
        mod({{ bit_xor('state_1', 'state_1 >> 16') }} * 73244475, 4294967296) as state_2
    from {{ name }}_mixed_once
),

{{ name }} as (
    select
        {{ keys | join('') }}draw,
        mod({{ bit_xor('state_2', 'state_2 >> 16') }}, sample_size) as item_index,
        cast(count(*) as {{ dbt.type_int() }}) as times_drawn
    from {{ name }}_mixed_twice
    group by {{ keys | join('') }}draw, mod({{ bit_xor('state_2', 'state_2 >> 16') }}, sample_size)
),
{%- endmacro %}
