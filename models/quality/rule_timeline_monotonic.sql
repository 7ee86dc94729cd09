{#-
    Rule 5 timeline_monotonic: records whose stage timestamps go backwards or lie in the future.
      live HubSpot contacts: among the non-null create / lead / MQL / SQL / opportunity /
        customer dates, an earlier one is after a later one, or any is after as_of;
      live CRM leads: converted before created, or created after as_of;
      live opportunities: closed before created, created after as_of, or closed after as_of.
-#}

with

{{ live_tables(['hubspot.contact', 'salesforce.lead', 'salesforce.opportunity']) }},

contacts as (
    select
        cast(id as {{ dbt.type_string() }}) as record_id,
        property_createdate as d0,
        property_hs_lifecyclestage_lead_date as d1,
        property_hs_lifecyclestage_marketingqualifiedlead_date as d2,
        property_hs_lifecyclestage_salesqualifiedlead_date as d3,
        property_hs_lifecyclestage_opportunity_date as d4,
        property_hs_lifecyclestage_customer_date as d5
    from hubspot_contact
),

bad_contacts as (
    select
        'hubspot.contact' as record_type,
        record_id,
        'lifecycle dates out of order or in the future' as finding
    from contacts
    where d0 > d1 or d0 > d2 or d0 > d3 or d0 > d4 or d0 > d5
        or d1 > d2 or d1 > d3 or d1 > d4 or d1 > d5
        or d2 > d3 or d2 > d4 or d2 > d5
        or d3 > d4 or d3 > d5
        or d4 > d5
        or d0 > {{ as_of_timestamp() }}
        or d1 > {{ as_of_timestamp() }}
        or d2 > {{ as_of_timestamp() }}
        or d3 > {{ as_of_timestamp() }}
        or d4 > {{ as_of_timestamp() }}
        or d5 > {{ as_of_timestamp() }}
),

bad_leads as (
    select
        'salesforce.lead' as record_type,
        id as record_id,
        case
            when created_date > {{ as_of_timestamp() }} then 'created after as_of'
            else 'converted before created'
        end as finding
    from salesforce_lead
    where
        converted_date < cast(created_date as date)
        or created_date > {{ as_of_timestamp() }}
),

bad_opportunities as (
    select
        'salesforce.opportunity' as record_type,
        id as record_id,
        case
            when close_date < cast(created_date as date) then 'closed before created'
            when created_date > {{ as_of_timestamp() }} then 'created after as_of'
            else 'closed after as_of'
        end as finding
    from salesforce_opportunity
    where
        close_date < cast(created_date as date)
        or created_date > {{ as_of_timestamp() }}
        or (is_closed and close_date > {{ as_of_date() }})
)

select * from bad_contacts
union all
select * from bad_leads
union all
select * from bad_opportunities
