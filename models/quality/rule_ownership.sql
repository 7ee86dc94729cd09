{#-
    Rule 10 ownership: (a) live leads, contacts, accounts and opportunities whose owner_id is no
    active CRM user; (b) linked deal/opportunity pairs whose owners are not the same person: the
    deal owner is missing or unknown, the opportunity owner is no CRM user, or their normalised
    emails differ. Without the CRM user table (b without the HubSpot owners too) ownership
    cannot be known: those parts are not checked.
-#}

with

{{ live_tables([
    'salesforce.user', 'salesforce.lead', 'salesforce.contact', 'salesforce.account',
    'salesforce.opportunity', 'hubspot.deal', 'hubspot.owner',
]) }},

active_users as (
    select id from salesforce_user
    where is_active
),

owned as (
    {% for table_name in ['lead', 'contact', 'account', 'opportunity'] -%}
    select
        'salesforce.{{ table_name }}' as record_type,
        id as record_id,
        owner_id
    from salesforce_{{ table_name }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

no_active_owner as (
    select
        record_type,
        record_id,
        owner_id,
        cast(null as {{ dbt.type_string() }}) as other_owner,
        'no active owner' as finding
    from owned as o
    where {{ source_exists('salesforce', 'user') }}
        and not exists (
            select 1 from active_users as u
            where u.id = o.owner_id
        )
),

pairs as (
    select
        d.deal_id,
        o.id as opportunity_id,
        d.owner_id as deal_owner_id,
        o.owner_id as opportunity_owner_id,
        ho.owner_id as hubspot_owner_id,
        {{ normalize_email('ho.email') }} as hubspot_owner_email,
        u.id as user_id,
        {{ normalize_email('u.email') }} as user_email
    from hubspot_deal as d
    inner join salesforce_opportunity as o
        on d.property_salesforceopportunityid = o.id
    left join hubspot_owner as ho on d.owner_id = ho.owner_id
    left join salesforce_user as u on o.owner_id = u.id
    where {{ source_exists('salesforce', 'user') }}
        and {{ source_exists('hubspot', 'owner') }}
),

pair_owner_differs as (
    select
        'linked deal/opportunity' as record_type,
        opportunity_id as record_id,
        opportunity_owner_id as owner_id,
        cast(deal_owner_id as {{ dbt.type_string() }}) as other_owner,
        case
            when hubspot_owner_id is null then 'deal owner missing or unknown'
            when user_id is null then 'opportunity owner is no CRM user'
            else 'deal and opportunity owned by different people'
        end as finding
    from pairs
    where hubspot_owner_id is null
        or user_id is null
        or coalesce(hubspot_owner_email, '') <> coalesce(user_email, '')
)

select * from no_active_owner
union all
select * from pair_owner_differs
