{#-
    Rule 15 attribution_coverage: won revenue that attribution could not credit to a touch.
      (a) one row per won opportunity left 'unattributed' although one of its people has a touch
          on its close date: its window ended before that day's touches (a win placed at midnight
          of the close day instead of its end, or a stage history in another time zone);
      (b) one row when the share of won revenue that is 'unattributed' (model linear) exceeds
          max_unattributed_share (checks.yml): most conversions find no touch (people not
          resolved, touches not loaded, a window too short).
    Both read the full_funnel scope (every touch type): a conversion with sales activities
    only is 'unattributed' in the marketing scope by definition, not by a defect.
-#}

with

won as (
    select
        opportunity_id,
        close_date,
        revenue_credit_usd,
        touch_event_type
    from {{ ref('fct_attribution') }}
    where attribution_model = 'linear' and scope = 'full_funnel'
),

unattributed as (
    select
        opportunity_id,
        close_date
    from won
    where touch_event_type = 'unattributed'
),

close_day_touches as (
    select
        u.opportunity_id,
        count(*) as touches_on_close_date
    from unattributed as u
    inner join {{ ref('int_opportunity_people') }} as p
        on u.opportunity_id = p.opportunity_id
    inner join {{ ref('fct_customer_journey') }} as j
        on p.person_id = j.person_id
            and u.close_date = j.occurred_on
            and j.event_type in (
                'web_session', 'ad_click', 'form_submission', 'email_click', 'sales_activity'
            )
    group by u.opportunity_id
),

revenue as (
    select
        sum(revenue_credit_usd) as won_revenue_usd,
        sum(case when touch_event_type = 'unattributed' then revenue_credit_usd else 0 end)
            as unattributed_revenue_usd
    from won
)

select
    opportunity_id as subject,
    cast(touches_on_close_date as {{ type_double() }}) as measured,
    'unattributed although its people have touches on the close date' as finding
from close_day_touches
union all
select
    'won revenue' as subject,
    unattributed_revenue_usd / won_revenue_usd as measured,
    'unattributed share of won revenue above '
    || cast({{ var('max_unattributed_share') }} as {{ dbt.type_string() }})
        as finding
from revenue
where won_revenue_usd > 0
    and unattributed_revenue_usd / won_revenue_usd > {{ var('max_unattributed_share') }}
