{#-
    The audience of each opportunity (docs/attribution.md, opportunity_people): the people
    whose touches attribution (fct_attribution, fct_attribution_journeys) and marketing
    influence (kpi_sales_performance) count, one row per opportunity x person. link_basis:
      contact_role   a contact role of the opportunity (int_opportunity_people)
      account_touch  the opportunity has no contact role: every person with a touch of any
                     attribution scope in its account (the journey's account of the touch)
    The one home of this rule: the marts above read it, none re-derives it.
-#}

with

opportunities as (
    select * from {{ ref('fct_opportunities') }}
),

journey as (
    select * from {{ ref('fct_customer_journey') }}
),

contact_roles as (
    select distinct
        opportunity_id,
        person_id
    from {{ ref('int_opportunity_people') }}
    where link_source = 'contact_role'
),

account_people as (
    select distinct
        account_id,
        person_id
    from journey
    where
        event_type in {{ attribution_touch_event_type_list() }}
        and account_id != '-1'
        and person_id != '-1'
),

role_links as (
    select
        contact_roles.opportunity_id,
        contact_roles.person_id,
        'contact_role' as link_basis
    from contact_roles
    inner join opportunities
        on contact_roles.opportunity_id = opportunities.opportunity_id
),

account_links as (
    select
        opportunities.opportunity_id,
        account_people.person_id,
        'account_touch' as link_basis
    from opportunities
    inner join account_people
        on opportunities.account_id = account_people.account_id
    where not exists (
            select 1
            from contact_roles
            where contact_roles.opportunity_id = opportunities.opportunity_id
        )
),

links as (
    select * from role_links
    union all
    select * from account_links
),

final as (
    select
        {{ surrogate_key(['opportunity_id', 'person_id']) }} as opportunity_audience_id,
        cast(opportunity_id as {{ dbt.type_string() }}) as opportunity_id,
        cast(person_id as {{ dbt.type_string() }}) as person_id,
        cast(link_basis as {{ dbt.type_string() }}) as link_basis
    from links
)

select * from final
