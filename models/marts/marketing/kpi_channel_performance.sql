{#-
    Channel performance: one row per month x channel. Each measure is counted in the month of
    its own event; people and deals on ONE channel basis, the original source (doc
    channel_basis), so MQLs, wins and revenue of a channel are comparable:
      spend            fct_ad_spend (channel from the ad platform)
      sessions         web sessions and ad clicks (fct_customer_journey), channel of the session
      leads/MQLs/SQLs  people by the month they reached the stage, their original channel
      opportunities    opportunities created (fct_opportunities), their source_channel
      customers        accounts whose first won opportunity closed in the month, that
                       opportunity's source_channel
      won revenue      won opportunities by close month and source_channel
      attributed       fct_attribution revenue credit by close month and touch channel, one
                       column per model, in the default scope (attribution_default_scope():
                       marketing touches); 'unattributed' is a channel of its own, so every
                       model's column sums to won revenue. Every scope and model side by side:
                       kpi_channel_attribution.
    ROAS, marketing ROI and CAC use the model in kpi_var('kpi_attribution_model'), default scope.
    Money is in the reporting currency (amount_usd); a sum over a set holding an amount without
    exchange rate is null, never 0, and the unconverted_* counts beside it say how many
    (docs: money_conversion). Attributed revenue of a month and channel is null as soon as a
    touch there belongs to a won opportunity without exchange rate, whatever its credit.
-#}
{%- set attribution_model = kpi_var('kpi_attribution_model') -%}
{%- set attribution_scope = attribution_default_scope() -%}

with

ad_spend as (
    select * from {{ ref('fct_ad_spend') }}
),

journey as (
    select * from {{ ref('fct_customer_journey') }}
),

people as (
    select * from {{ ref('dim_person') }}
    where not is_unknown_member
),

opportunities as (
    {{ marts_opportunities_with_unconverted() }}
),

attribution as (
    select
        fct_attribution.*,
        opportunities.is_unconverted
    from {{ ref('fct_attribution') }} as fct_attribution
    inner join opportunities
        on fct_attribution.opportunity_id = opportunities.opportunity_id
    where fct_attribution.scope = '{{ attribution_scope }}'
),

spend as (
    select
        {{ kpi_period_start('month', 'date_day') }} as month_start,
        channel,
        {{ kpi_money_sum('spend_usd', 'spend_usd is null') }} as spend_usd,
        sum(clicks) as ad_clicks,
        sum(impressions) as ad_impressions
    from ad_spend
    group by {{ kpi_period_start('month', 'date_day') }}, channel
),

sessions as (
    select
        {{ kpi_period_start('month', 'occurred_at') }} as month_start,
        channel,
        count(*) as sessions
    from journey
    where event_type in ('web_session', 'ad_click')
    group by {{ kpi_period_start('month', 'occurred_at') }}, channel
),

{%- set stages = [
    ('leads', 'became_lead_at'),
    ('mqls', 'became_mql_at'),
    ('sqls', 'became_sql_at'),
] %}

people_stages as (
    {% for measure, column in stages -%}
    select
        {{ kpi_period_start('month', column) }} as month_start,
        original_channel as channel,
        '{{ measure }}' as measure_name,
        count(*) as measure_count
    from people
    where {{ column }} is not null
    group by {{ kpi_period_start('month', column) }}, original_channel
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

people_counts as (
    select
        month_start,
        channel,
        sum(case when measure_name = 'leads' then measure_count else 0 end) as leads,
        sum(case when measure_name = 'mqls' then measure_count else 0 end) as mqls,
        sum(case when measure_name = 'sqls' then measure_count else 0 end) as sqls
    from people_stages
    group by month_start, channel
),

pipeline as (
    select
        {{ kpi_period_start('month', 'created_at') }} as month_start,
        source_channel as channel,
        count(*) as opportunities,
        {{ kpi_money_sum('amount_usd', 'is_unconverted') }} as pipeline_usd,
        {{ kpi_unconverted_count('is_unconverted') }} as unconverted_created_opportunities
    from opportunities
    group by {{ kpi_period_start('month', 'created_at') }}, source_channel
),

won as (
    select
        {{ kpi_period_start('month', 'close_date') }} as month_start,
        source_channel as channel,
        count(*) as won_opportunities,
        {{ kpi_money_sum('amount_usd', 'is_unconverted') }} as won_revenue_usd,
        {{ kpi_unconverted_count('is_unconverted') }} as unconverted_won_opportunities
    from opportunities
    where is_won
    group by {{ kpi_period_start('month', 'close_date') }}, source_channel
),

first_wins as (
    {{ marts_ranked_new_business_wins('opportunities', ['close_date', 'source_channel']) }}
),

customers as (
    select
        {{ kpi_period_start('month', 'close_date') }} as month_start,
        source_channel as channel,
        count(*) as customers
    from first_wins
    where win_rank = 1
    group by {{ kpi_period_start('month', 'close_date') }}, source_channel
),

attributed as (
    select
        close_month as month_start,
        {% for model_name in attribution_all_models() -%}
        {{ kpi_money_sum(
            'revenue_credit_usd',
            'is_unconverted',
            "attribution_model = '" ~ model_name ~ "'"
        ) }} as attributed_revenue_{{ model_name }}_usd,
        {% endfor -%}
        count(distinct case when is_unconverted then opportunity_id end)
            as unconverted_attributed_opportunities,
        channel
    from attribution
    group by close_month, channel
),

grid as (
    {{- marts_key_grid(
        ['spend', 'sessions', 'people_counts', 'pipeline', 'won', 'customers', 'attributed'],
        ['month_start', 'channel']
    ) }}
),

joined as (
    select
        grid.month_start,
        grid.channel,
        {#- no row in a part = nothing of it in the month and channel (0); null stays null #}
        {{- marts_part_measures('spend', ['ad_clicks', 'ad_impressions'], ['spend_usd']) }},
        {{- marts_part_measures('sessions', ['sessions']) }},
        {{- marts_part_measures('people_counts', ['leads', 'mqls', 'sqls']) }},
        {{- marts_part_measures(
            'pipeline', ['opportunities', 'unconverted_created_opportunities'], ['pipeline_usd']
        ) }},
        {{- marts_part_measures(
            'won', ['won_opportunities', 'unconverted_won_opportunities'], ['won_revenue_usd']
        ) }},
        {% for model_name in attribution_all_models() -%}
        {{ marts_zero_if_no_row('attributed', 'attributed_revenue_' ~ model_name ~ '_usd') }}
            as attributed_revenue_{{ model_name }}_usd,
        {% endfor -%}
        {{- marts_part_measures('attributed', ['unconverted_attributed_opportunities']) }},
        {{- marts_part_measures('customers', ['customers']) }}
    from grid
    {{- marts_join_each('grid', [
        'spend', 'sessions', 'people_counts', 'pipeline', 'won', 'customers', 'attributed',
    ], ['month_start', 'channel']) }}
),

rates as (
    select
        *,
        '{{ attribution_model }}' as roas_attribution_model,
        '{{ attribution_scope }}' as roas_attribution_scope,
        attributed_revenue_{{ attribution_model }}_usd as roas_attributed_revenue_usd,
        {{ safe_divide('spend_usd', 'leads') }} as cost_per_lead_usd,
        {{ safe_divide('spend_usd', 'mqls') }} as cost_per_mql_usd,
        {{ safe_divide('spend_usd', 'sqls') }} as cost_per_sql_usd,
        {{ safe_divide('spend_usd', 'customers') }} as cac_usd,
        {{ safe_divide('attributed_revenue_' ~ attribution_model ~ '_usd', 'spend_usd') }} as roas,
        {{ safe_divide(
            '(attributed_revenue_' ~ attribution_model ~ '_usd - spend_usd)', 'spend_usd'
        ) }} as marketing_roi
    from joined
),

{#- the contract's columns: the measures, one attributed revenue per model, the ratios #}
{%- set columns = [
    ('month_start', 'date'),
    ('channel', 'string'),
    ('spend_usd', 'double'),
    ('ad_clicks', 'bigint'),
    ('ad_impressions', 'bigint'),
    ('sessions', 'bigint'),
    ('leads', 'bigint'),
    ('mqls', 'bigint'),
    ('sqls', 'bigint'),
    ('opportunities', 'bigint'),
    ('pipeline_usd', 'double'),
    ('unconverted_created_opportunities', 'bigint'),
    ('won_opportunities', 'bigint'),
    ('won_revenue_usd', 'double'),
    ('unconverted_won_opportunities', 'bigint'),
    ('customers', 'bigint'),
] %}
{%- for model_name in attribution_all_models() %}
{%- do columns.append(('attributed_revenue_' ~ model_name ~ '_usd', 'double')) %}
{%- endfor %}
{%- do columns.extend([
    ('unconverted_attributed_opportunities', 'bigint'),
    ('roas_attribution_model', 'string'),
    ('roas_attribution_scope', 'string'),
    ('roas_attributed_revenue_usd', 'double'),
    ('cost_per_lead_usd', 'double'),
    ('cost_per_mql_usd', 'double'),
    ('cost_per_sql_usd', 'double'),
    ('cac_usd', 'double'),
    ('roas', 'double'),
    ('marketing_roi', 'double'),
]) %}

final as (
    select
        {{ surrogate_key(['month_start', 'channel']) }} as channel_month_id,
        {{- marts_typed_columns(columns) }}
    from rates
)

select * from final
