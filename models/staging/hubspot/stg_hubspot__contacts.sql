with

source as (
    {{ staged_rows('hubspot', 'contact', ['id'], deleted='_fivetran_deleted') }}
),

renamed as (
    select
        cast(id as {{ dbt.type_string() }}) as contact_id,
        {{ normalize_email('property_email') }} as email,
        {{ email_domain(normalize_email('property_email')) }} as email_domain,
        property_firstname as first_name,
        property_lastname as last_name,
        property_company as company_name,
        property_jobtitle as job_title,
        {{ to_utc_timestamp('property_createdate') }} as created_at,
        lower(trim(property_lifecyclestage)) as lifecycle_stage,
        {{ to_utc_timestamp('property_hs_lifecyclestage_lead_date') }} as became_lead_at,
        {{ to_utc_timestamp('property_hs_lifecyclestage_marketingqualifiedlead_date') }}
            as became_mql_at,
        {{ to_utc_timestamp('property_hs_lifecyclestage_salesqualifiedlead_date') }}
            as became_sql_at,
        {{ to_utc_timestamp('property_hs_lifecyclestage_opportunity_date') }}
            as became_opportunity_at,
        {{ to_utc_timestamp('property_hs_lifecyclestage_customer_date') }}
            as became_customer_at,
        upper(trim(property_hs_analytics_source)) as analytics_source,
        property_hs_analytics_source_data_1 as analytics_source_data_1,
        cast(property_hubspotscore as {{ type_double() }}) as hubspot_score,
        nullif(trim(property_salesforceleadid), '') as salesforce_lead_id,
        nullif(trim(property_salesforcecontactid), '') as salesforce_contact_id,
        nullif(trim(property_hs_merged_object_ids), '') as merged_contact_ids,
        cast(property_associatedcompanyid as {{ dbt.type_string() }}) as company_id,
        {{ to_utc_timestamp('_fivetran_synced') }} as synced_at
    from source
)

select * from renamed
