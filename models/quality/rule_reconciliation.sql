{#-
    Rule 8 reconciliation (warehouse side).
      * live won opportunities whose amount cannot be converted into the reporting currency: a
        null amount, or a currency no exchange rate covers (fx_rate_source 'none' in
        int_opportunity_amounts, the warehouse's one conversion rule: identity,
        Salesforce dated and static rates, the seed). One finding per opportunity, naming its
        currency: won revenue in the marts can only reconcile with raw won revenue up to these;
      * live won opportunities that do convert but whose amount_usd in fct_opportunities
        differs from the raw amount times the opportunity's rate (by more than a cent) or which
        are missing from it: won revenue in raw must equal won revenue in the marts;
      * days and platforms whose raw ad spend, converted with the rate of its currency on
        its day (int_ad_spend_rates), differs from fct_ad_spend, or has no exchange rate (its
        spend in the marts is null: one finding per day and platform, naming the currency);
      * won opportunities (with an amount_usd) and attribution models whose attributed revenue in
        fct_attribution differs from the won revenue.
    The last three add 0 on a correct warehouse (docs/quality_rules.md). fct_ad_spend and fct_attribution are
    optional relations: a part whose mart is not built yet is skipped. amount_usd is the amount
    in the reporting currency (dbt var reporting_currency, USD by default).
-#}

with

{{ live_tables(['salesforce.opportunity', 'ads.ad_stats']) }},

won as (
    select
        id as opportunity_id,
        amount,
        currency_iso_code,
        close_date
    from salesforce_opportunity
    where is_won
),

converted as (
    select
        w.*,
        a.opportunity_id is not null as is_staged,
        a.currency_code,
        a.reporting_currency,
        a.fx_rate
    from won as w
    left join {{ ref('int_opportunity_amounts') }} as a
        on w.opportunity_id = a.opportunity_id
),

not_convertible as (
    select
        opportunity_id,
        currency_iso_code,
        close_date,
        amount,
        cast(null as {{ type_double() }}) as raw_amount_usd,
        cast(null as {{ type_double() }}) as mart_amount_usd,
        case
            when amount is null then 'won amount is null'
            else 'won amount in ' || currency_code || ' has no exchange rate into '
                || reporting_currency
        end as finding
    from converted
    where amount is null or (is_staged and fx_rate is null)
),

mart_differs as (
    select
        c.opportunity_id,
        c.currency_iso_code,
        c.close_date,
        c.amount,
        c.amount * c.fx_rate as raw_amount_usd,
        f.amount_usd as mart_amount_usd,
        case
            when f.opportunity_id is null then 'won opportunity missing from marts'
            else 'won amount in marts differs from raw'
        end as finding
    from converted as c
    left join {{ ref('fct_opportunities') }} as f
        on c.opportunity_id = f.opportunity_id
    where c.amount is not null
        and (c.fx_rate is not null or not c.is_staged)
        and (
            f.opportunity_id is null
            or not coalesce(f.is_won, false)
            or coalesce(abs(f.amount_usd - c.amount * c.fx_rate) > 0.01, true)
        )
),

raw_spend as (
    select
        ads_ad_stats.date_day,
        lower(trim(ads_ad_stats.platform)) as platform,
        sum(ads_ad_stats.spend * spend_rates.fx_rate) as spend_usd,
        sum(case when spend_rates.fx_rate is null then 1 else 0 end) as unconverted_rows,
        min(case when spend_rates.fx_rate is null then spend_rates.currency_code end)
            as unconverted_currency,
        max(spend_rates.reporting_currency) as reporting_currency
    from ads_ad_stats
    left join {{ ref('int_ad_spend_rates') }} as spend_rates
        on
            {{ ad_spend_currency('ads_ad_stats.currency_code') }} = spend_rates.currency_code
            and ads_ad_stats.date_day = spend_rates.date_day
    group by ads_ad_stats.date_day, lower(trim(ads_ad_stats.platform))
),

mart_spend as (
    select
        date_day,
        platform,
        sum(spend_usd) as spend_usd
    from {{ ref('fct_ad_spend') }}
    group by date_day, platform
),

spend_differs as (
    select
        coalesce(r.platform, m.platform) || ' '
        || cast(coalesce(r.date_day, m.date_day) as {{ dbt.type_string() }})
            as opportunity_id,
        r.unconverted_currency as currency_iso_code,
        coalesce(r.date_day, m.date_day) as close_date,
        cast(null as {{ type_double() }}) as amount,
        case when r.unconverted_rows = 0 then r.spend_usd end as raw_amount_usd,
        m.spend_usd as mart_amount_usd,
        case
            when r.unconverted_rows > 0
                then 'ad spend in ' || r.unconverted_currency || ' has no exchange rate into '
                    || r.reporting_currency
            else 'ad spend of the day and platform differs between raw and marts'
        end as finding
    from raw_spend as r
    full outer join mart_spend as m
        on r.date_day = m.date_day and r.platform = m.platform
    where true
        and (
            coalesce(r.unconverted_rows > 0, false)
            or coalesce(abs(r.spend_usd - m.spend_usd) > 0.01, true)
        )
),

won_in_marts as (
    select
        opportunity_id,
        close_date,
        amount_usd
    from {{ ref('fct_opportunities') }}
    where is_won and amount_usd is not null
),

models as (
    select distinct
        attribution_model,
        scope
    from {{ ref('fct_attribution') }}
),

attributed as (
    select
        opportunity_id,
        attribution_model,
        scope,
        sum(revenue_credit_usd) as revenue_usd
    from {{ ref('fct_attribution') }}
    group by opportunity_id, attribution_model, scope
),

attribution_differs as (
    select
        w.opportunity_id || ' ' || m.attribution_model || ' ' || m.scope as opportunity_id,
        cast(null as {{ dbt.type_string() }}) as currency_iso_code,
        w.close_date,
        cast(null as {{ type_double() }}) as amount,
        w.amount_usd as raw_amount_usd,
        a.revenue_usd as mart_amount_usd,
        'attributed revenue differs from won revenue' as finding
    from won_in_marts as w
    cross join models as m
    left join attributed as a
        on w.opportunity_id = a.opportunity_id
            and m.attribution_model = a.attribution_model
            and m.scope = a.scope
    where true
        and coalesce(abs(a.revenue_usd - w.amount_usd) > 0.01, true)
)

select * from not_convertible
union all
select * from mart_differs
union all
select * from spend_differs
union all
select * from attribution_differs
