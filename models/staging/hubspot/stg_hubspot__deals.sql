{#-
    HubSpot deal amounts carry no currency in the contract: they are in the portal's currency,
    which is the reporting currency (var reporting_currency, USD), so amount_usd = amount.
-#}
with

source as (
    {{ staged_rows('hubspot', 'deal', ['deal_id'], deleted='is_deleted') }}
),

renamed as (
    select
        cast(deal_id as {{ dbt.type_string() }}) as deal_id,
        deal_pipeline_id as pipeline_id,
        deal_pipeline_stage_id as pipeline_stage_id,
        property_dealname as deal_name,
        cast(property_amount as {{ type_double() }}) as amount_usd,
        {{ to_utc_timestamp('property_closedate') }} as closed_at,
        {{ to_utc_timestamp('property_createdate') }} as created_at,
        nullif(trim(property_salesforceopportunityid), '') as salesforce_opportunity_id,
        cast(owner_id as {{ dbt.type_string() }}) as owner_id,
        {{ to_utc_timestamp('_fivetran_synced') }} as synced_at
    from source
)

select * from renamed
