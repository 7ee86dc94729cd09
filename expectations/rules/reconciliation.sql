-- Rule 8 reconciliation (warehouse side).
--   * live won opportunities whose amount cannot be converted to USD with the exchange-rate
--     seed (null amount, currency absent from the seed, or no rate_date <= close_date): won
--     revenue in the marts can only reconcile with raw won revenue up to these rows;
--   * live won opportunities that do convert but whose amount_usd in marts.fct_opportunities
--     differs (by more than a cent) or which are missing from it: won revenue in raw must equal
--     won revenue in the marts. (0 on a correct warehouse.)
-- Still to add when the marts exist: ad spend raw = marts per day and platform, attributed
-- revenue = won revenue (see the report of issue 7).
with

won as (
    select id as opportunity_id, amount, currency_iso_code, close_date
    from raw_salesforce.opportunity
    where not coalesce(is_deleted, false)
        and is_won
),

converted as (
    select
        w.*,
        (
            select r.usd_per_unit
            from staging.exchange_rates as r
            where r.currency_code = w.currency_iso_code
                and r.rate_date = (
                    select max(r2.rate_date)
                    from staging.exchange_rates as r2
                    where r2.currency_code = w.currency_iso_code
                        and r2.rate_date <= w.close_date
                )
        ) as usd_per_unit
    from won as w
),

not_convertible as (
    select
        opportunity_id,
        currency_iso_code,
        close_date,
        amount,
        cast(null as double precision) as raw_amount_usd,
        cast(null as double precision) as mart_amount_usd,
        case
            when amount is null then 'won amount is null'
            else 'won amount cannot be converted to USD'
        end as finding
    from converted
    where amount is null or usd_per_unit is null
),

mart_differs as (
    select
        c.opportunity_id,
        c.currency_iso_code,
        c.close_date,
        c.amount,
        c.amount * c.usd_per_unit as raw_amount_usd,
        f.amount_usd as mart_amount_usd,
        case
            when f.opportunity_id is null then 'won opportunity missing from marts'
            else 'won amount in marts differs from raw'
        end as finding
    from converted as c
    left join marts.fct_opportunities as f
        on f.opportunity_id = c.opportunity_id
    where c.amount is not null
        and c.usd_per_unit is not null
        and (
            f.opportunity_id is null
            or not coalesce(f.is_won, false)
            or coalesce(abs(f.amount_usd - c.amount * c.usd_per_unit) > 0.01, true)
        )
)

select * from not_convertible
union all
select * from mart_differs
