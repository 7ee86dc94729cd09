{#-
    One row per Salesforce opportunity (grain: opportunity_id) with its resolved account, stage
    timestamps and days in each open stage (from the stage history), amount in the reporting
    currency (amount_usd and its fx_rate_source, from int_opportunity_amounts), win / loss
    times and its first touch. First touch: the earliest touch of the opportunity's people
    (int_opportunity_people) at or before the opportunity was created; without one, the
    channel of the opportunity's lead_source; else 'unknown'. is_marketing_sourced: the first
    touch channel is a marketing channel (seed channels). source_channel: the channel basis of
    the channel marts (doc channel_basis): the original channel of the opportunity's primary
    contact (dim_person.original_channel; contact roles and the converted lead, not the
    account's other people), else the channel of its own lead_source, else 'unknown'.
-#}
{%- set open_stages = [
    ('prospecting', 'Prospecting'),
    ('qualification', 'Qualification'),
    ('needs_analysis', 'Needs Analysis'),
    ('proposal', 'Proposal'),
    ('negotiation', 'Negotiation'),
] -%}

with

opportunities as (
    select * from {{ ref('int_opportunities_enriched') }}
),

stage_spans as (
    select * from {{ ref('int_opportunity_stage_spans') }}
),

opportunity_people as (
    select * from {{ ref('int_opportunity_people') }}
),

touchpoints as (
    select * from {{ ref('int_touchpoints_unioned') }}
),

people as (
    select * from {{ ref('dim_person') }}
),

channels as (
    select * from {{ ref('channels') }}
),

channel_mapping as (
    select
        source_key,
        channel
    from {{ ref('stg_reference__channel_mapping') }}
    where mapping_type = 'lead_source'
),

span_days as (
    select
        stage_spans.opportunity_id,
        stage_spans.stage_name,
        min(stage_spans.entered_at) as entered_at,
        sum(
            {{ days_between(
                'stage_spans.entered_at',
                'coalesce(stage_spans.exited_at, ' ~ as_of_timestamp() ~ ')'
            ) }}
        ) as days_in_stage
    from stage_spans
    group by stage_spans.opportunity_id, stage_spans.stage_name
),

stage_pivot as (
    select
        opportunity_id,
        {% for slug, stage in open_stages -%}
        min(case when stage_name = '{{ stage }}' then entered_at end) as entered_{{ slug }}_at,
        sum(case when stage_name = '{{ stage }}' then days_in_stage end) as days_in_{{ slug }}
        {%- if not loop.last %},{% endif %}
        {% endfor %}
    from span_days
    group by opportunity_id
),

candidate_touches as (
    select
        opportunities.opportunity_id,
        touchpoints.touchpoint_id,
        touchpoints.channel,
        touchpoints.occurred_at,
        row_number() over (
            partition by opportunities.opportunity_id
            order by touchpoints.occurred_at, touchpoints.touchpoint_id
        ) as touch_rank
    from opportunities
    inner join opportunity_people
        on opportunities.opportunity_id = opportunity_people.opportunity_id
    inner join touchpoints
        on
            opportunity_people.person_id = touchpoints.person_id
            and opportunities.created_at >= touchpoints.occurred_at
),

first_touches as (
    select
        opportunity_id,
        touchpoint_id,
        channel,
        occurred_at
    from candidate_touches
    where touch_rank = 1
),

primary_people as (
    select
        opportunity_id,
        min(person_id) as person_id
    from (
        select
            opportunity_id,
            person_id,
            rank() over (
                partition by opportunity_id
                order by
                    case when is_primary then 0 else 1 end,
                    case link_source
                        when 'contact_role' then 0 when 'converted_lead' then 1 else 2
                    end
            ) as person_rank
        from opportunity_people
    ) as ranked
    where person_rank = 1
    group by opportunity_id
),

contact_people as (
    select
        opportunity_people.opportunity_id,
        people.original_channel,
        row_number() over (
            partition by opportunity_people.opportunity_id
            order by
                case when opportunity_people.is_primary then 0 else 1 end,
                case opportunity_people.link_source when 'contact_role' then 0 else 1 end,
                opportunity_people.person_id
        ) as person_rank
    from opportunity_people
    inner join people
        on opportunity_people.person_id = people.person_id
    where
        opportunity_people.link_source in ('contact_role', 'converted_lead')
        and people.original_channel != 'unknown'
),

joined as (
    select
        opportunities.*,
        {% for slug, stage in open_stages -%}
        stage_pivot.entered_{{ slug }}_at,
        stage_pivot.days_in_{{ slug }},
        {% endfor -%}
        first_touches.touchpoint_id as first_touchpoint_id,
        first_touches.occurred_at as first_touch_at,
        case
            when first_touches.touchpoint_id is not null then 'touchpoint'
            when opportunities.lead_source is not null then 'lead_source'
            else 'none'
        end as first_touch_basis,
        coalesce(
            first_touches.channel,
            case
                when opportunities.lead_source is not null
                    then coalesce(lead_source_channels.channel, 'unmapped')
            end,
            'unknown'
        ) as first_touch_channel,
        primary_people.person_id as primary_person_id,
        coalesce(
            contact_people.original_channel,
            case
                when opportunities.lead_source is not null
                    then coalesce(lead_source_channels.channel, 'unmapped')
            end,
            'unknown'
        ) as source_channel
    from opportunities
    left join stage_pivot
        on opportunities.opportunity_id = stage_pivot.opportunity_id
    left join first_touches
        on opportunities.opportunity_id = first_touches.opportunity_id
    left join channel_mapping as lead_source_channels
        on {{ picklist_key('opportunities.lead_source') }} = lead_source_channels.source_key
    left join primary_people
        on opportunities.opportunity_id = primary_people.opportunity_id
    left join contact_people
        on
            opportunities.opportunity_id = contact_people.opportunity_id
            and contact_people.person_rank = 1
),

final as (
    select
        cast(joined.opportunity_id as {{ dbt.type_string() }}) as opportunity_id,
        cast(coalesce(joined.resolved_account_id, '-1') as {{ dbt.type_string() }})
            as account_id,
        cast(joined.account_id as {{ dbt.type_string() }}) as salesforce_account_id,
        cast(coalesce(joined.primary_person_id, '-1') as {{ dbt.type_string() }})
            as primary_person_id,
        cast(joined.owner_id as {{ dbt.type_string() }}) as owner_id,
        cast(joined.deal_id as {{ dbt.type_string() }}) as deal_id,
        cast(coalesce(joined.campaign_id, '-1') as {{ dbt.type_string() }}) as campaign_id,
        cast(joined.opportunity_name as {{ dbt.type_string() }}) as opportunity_name,
        cast(joined.opportunity_type as {{ dbt.type_string() }}) as opportunity_type,
        cast(joined.opportunity_type_raw as {{ dbt.type_string() }}) as opportunity_type_raw,
        cast(joined.opportunity_type_source as {{ dbt.type_string() }})
            as opportunity_type_source,
        cast(joined.stage_name as {{ dbt.type_string() }}) as stage_name,
        cast(joined.stage_class as {{ dbt.type_string() }}) as stage_class,
        joined.is_stage_mapped,
        cast(joined.lead_source as {{ dbt.type_string() }}) as lead_source,
        cast(joined.forecast_category as {{ dbt.type_string() }}) as forecast_category,
        cast(joined.probability as {{ type_double() }}) as probability,
        cast(joined.created_at as {{ dbt.type_timestamp() }}) as created_at,
        joined.is_created_at_estimated,
        cast(joined.close_date as date) as close_date,
        cast(coalesce(joined.won_at, joined.lost_at) as {{ dbt.type_timestamp() }}) as closed_at,
        cast(joined.won_at as {{ dbt.type_timestamp() }}) as won_at,
        cast(joined.lost_at as {{ dbt.type_timestamp() }}) as lost_at,
        {% for slug, stage in open_stages -%}
        cast(joined.entered_{{ slug }}_at as {{ dbt.type_timestamp() }})
            as entered_{{ slug }}_at,
        cast(joined.days_in_{{ slug }} as {{ type_double() }}) as days_in_{{ slug }},
        {% endfor -%}
        cast(
            case
                when joined.is_won
                    then {{ days_between('joined.created_at', 'joined.won_at') }}
            end
            as {{ type_double() }}
        ) as sales_cycle_days,
        cast(joined.amount as {{ type_double() }}) as amount,
        cast(joined.currency_code as {{ dbt.type_string() }}) as currency_code,
        cast(joined.amount_usd as {{ type_double() }}) as amount_usd,
        cast(joined.fx_rate_source as {{ dbt.type_string() }}) as fx_rate_source,
        joined.is_closed,
        joined.is_won,
        joined.is_lost,
        coalesce(channels.is_marketing, false) as is_marketing_sourced,
        cast(joined.first_touch_channel as {{ dbt.type_string() }}) as first_touch_channel,
        cast(joined.source_channel as {{ dbt.type_string() }}) as source_channel,
        cast(joined.first_touch_basis as {{ dbt.type_string() }}) as first_touch_basis,
        cast(joined.first_touch_at as {{ dbt.type_timestamp() }}) as first_touch_at,
        cast(joined.first_touchpoint_id as {{ dbt.type_string() }}) as first_touchpoint_id,
        cast(joined.synced_at as {{ dbt.type_timestamp() }}) as synced_at
    from joined
    left join channels
        on joined.first_touch_channel = channels.channel
)

select * from final
