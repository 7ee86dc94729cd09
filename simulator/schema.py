"""The raw data contract: every table, its columns in order, their kinds and primary keys.

Kinds drive CSV formatting: str, ts (ISO-8601 UTC with Z), date (YYYY-MM-DD), bool
(true/false), money (2 decimals), num (plain number), int. Empty string = null.
"""

from __future__ import annotations

TABLES: dict[str, tuple[tuple[str, str], ...]] = {
    "salesforce/account": (
        ("id", "str"), ("name", "str"), ("website", "str"), ("industry", "str"),
        ("number_of_employees", "int"), ("billing_country", "str"), ("type", "str"),
        ("owner_id", "str"), ("created_date", "ts"), ("is_deleted", "bool"),
    ),
    "salesforce/lead": (
        ("id", "str"), ("email", "str"), ("first_name", "str"), ("last_name", "str"),
        ("company", "str"), ("title", "str"), ("status", "str"), ("lead_source", "str"),
        ("owner_id", "str"), ("created_date", "ts"), ("is_converted", "bool"),
        ("converted_date", "date"), ("converted_account_id", "str"),
        ("converted_contact_id", "str"), ("converted_opportunity_id", "str"),
        ("is_deleted", "bool"),
    ),
    "salesforce/contact": (
        ("id", "str"), ("account_id", "str"), ("email", "str"), ("first_name", "str"),
        ("last_name", "str"), ("title", "str"), ("lead_source", "str"), ("owner_id", "str"),
        ("created_date", "ts"), ("is_deleted", "bool"),
    ),
    "salesforce/opportunity": (
        ("id", "str"), ("account_id", "str"), ("owner_id", "str"), ("campaign_id", "str"),
        ("name", "str"), ("type", "str"), ("stage_name", "str"), ("amount", "money"),
        ("currency_iso_code", "str"), ("probability", "num"), ("forecast_category", "str"),
        ("lead_source", "str"), ("created_date", "ts"), ("close_date", "date"),
        ("is_closed", "bool"), ("is_won", "bool"), ("is_deleted", "bool"),
    ),
    "salesforce/opportunity_contact_role": (
        ("id", "str"), ("opportunity_id", "str"), ("contact_id", "str"), ("role", "str"),
        ("is_primary", "bool"),
    ),
    "salesforce/opportunity_field_history": (
        ("id", "str"), ("opportunity_id", "str"), ("field", "str"), ("old_value", "str"),
        ("new_value", "str"), ("created_date", "ts"),
    ),
    "salesforce/task": (
        ("id", "str"), ("who_id", "str"), ("what_id", "str"), ("owner_id", "str"),
        ("type", "str"), ("subject", "str"), ("status", "str"), ("activity_date", "date"),
        ("created_date", "ts"), ("is_deleted", "bool"),
    ),
    "salesforce/user": (
        ("id", "str"), ("name", "str"), ("email", "str"), ("user_role", "str"),
        ("manager_id", "str"), ("is_active", "bool"),
    ),
    "salesforce/product_2": (
        ("id", "str"), ("name", "str"), ("family", "str"), ("is_active", "bool"),
    ),
    "salesforce/opportunity_line_item": (
        ("id", "str"), ("opportunity_id", "str"), ("product_2_id", "str"), ("quantity", "num"),
        ("unit_price", "money"), ("total_price", "money"),
    ),
    "hubspot/contact": (
        ("id", "int"), ("property_email", "str"), ("property_firstname", "str"),
        ("property_lastname", "str"), ("property_company", "str"), ("property_jobtitle", "str"),
        ("property_createdate", "ts"), ("property_lifecyclestage", "str"),
        ("property_hs_lifecyclestage_lead_date", "ts"),
        ("property_hs_lifecyclestage_marketingqualifiedlead_date", "ts"),
        ("property_hs_lifecyclestage_salesqualifiedlead_date", "ts"),
        ("property_hs_lifecyclestage_opportunity_date", "ts"),
        ("property_hs_lifecyclestage_customer_date", "ts"),
        ("property_hs_analytics_source", "str"), ("property_hs_analytics_source_data_1", "str"),
        ("property_hubspotscore", "num"), ("property_salesforceleadid", "str"),
        ("property_salesforcecontactid", "str"), ("property_hs_merged_object_ids", "str"),
        ("property_associatedcompanyid", "int"), ("_fivetran_deleted", "bool"),
    ),
    "hubspot/company": (
        ("id", "int"), ("property_name", "str"), ("property_domain", "str"),
        ("property_industry", "str"), ("property_lifecyclestage", "str"), ("is_deleted", "bool"),
    ),
    "hubspot/deal": (
        ("deal_id", "int"), ("deal_pipeline_id", "str"), ("deal_pipeline_stage_id", "str"),
        ("property_dealname", "str"), ("property_amount", "money"),
        ("property_closedate", "ts"), ("property_createdate", "ts"),
        ("property_salesforceopportunityid", "str"), ("owner_id", "int"), ("is_deleted", "bool"),
    ),
    "hubspot/deal_pipeline_stage": (
        ("stage_id", "str"), ("pipeline_id", "str"), ("label", "str"), ("probability", "num"),
        ("is_closed", "bool"), ("display_order", "int"),
    ),
    "hubspot/deal_pipeline": (("pipeline_id", "str"), ("label", "str"), ("is_active", "bool")),
    "hubspot/deal_stage": (
        ("deal_id", "int"), ("value", "str"), ("date_entered", "ts"), ("_fivetran_start", "ts"),
        ("_fivetran_end", "ts"),
    ),
    "hubspot/owner": (
        ("owner_id", "int"), ("email", "str"), ("first_name", "str"), ("last_name", "str"),
        ("is_active", "bool"),
    ),
    "hubspot/deal_contact": (("deal_id", "int"), ("contact_id", "int")),
    "hubspot/deal_company": (("deal_id", "int"), ("company_id", "int")),
    "hubspot/email_campaign": (
        ("id", "int"), ("name", "str"), ("subject", "str"), ("type", "str"),
    ),
    "hubspot/email_event": (
        ("id", "str"), ("email_campaign_id", "int"), ("recipient", "str"), ("type", "str"),
        ("created", "ts"),
    ),
    "hubspot/form": (("guid", "str"), ("name", "str")),
    "hubspot/contact_form_submission": (
        ("contact_id", "int"), ("conversion_id", "str"), ("form_id", "str"),
        ("page_url", "str"), ("timestamp", "ts"),
    ),
    "ads/ad_stats": (
        ("date_day", "date"), ("platform", "str"), ("account_id", "str"),
        ("campaign_id", "str"), ("campaign_name", "str"), ("ad_group_id", "str"),
        ("ad_id", "str"), ("clicks", "int"), ("impressions", "int"), ("spend", "money"),
        ("conversions", "num"),
    ),
    "web/sessions": (
        ("session_id", "str"), ("anonymous_id", "str"), ("email", "str"), ("started_at", "ts"),
        ("landing_page", "str"), ("referrer", "str"), ("utm_source", "str"),
        ("utm_medium", "str"), ("utm_campaign", "str"), ("utm_content", "str"),
        ("gclid", "str"),
    ),
}

PRIMARY_KEYS: dict[str, tuple[str, ...]] = {
    "salesforce/account": ("id",),
    "salesforce/lead": ("id",),
    "salesforce/contact": ("id",),
    "salesforce/opportunity": ("id",),
    "salesforce/opportunity_contact_role": ("id",),
    "salesforce/opportunity_field_history": ("id",),
    "salesforce/task": ("id",),
    "salesforce/user": ("id",),
    "salesforce/product_2": ("id",),
    "salesforce/opportunity_line_item": ("id",),
    "hubspot/contact": ("id",),
    "hubspot/company": ("id",),
    "hubspot/deal": ("deal_id",),
    "hubspot/deal_pipeline_stage": ("stage_id",),
    "hubspot/deal_pipeline": ("pipeline_id",),
    "hubspot/deal_stage": ("deal_id", "value", "date_entered"),
    "hubspot/owner": ("owner_id",),
    "hubspot/deal_contact": ("deal_id", "contact_id"),
    "hubspot/deal_company": ("deal_id", "company_id"),
    "hubspot/email_campaign": ("id",),
    "hubspot/email_event": ("id",),
    "hubspot/form": ("guid",),
    "hubspot/contact_form_submission": ("conversion_id",),
    "ads/ad_stats": (),
    "web/sessions": ("session_id",),
}

#: Column added to salesforce/lead from batch 2 on (a custom field created after the base load).
NEW_COLUMN = ("salesforce/lead", "region__c")
SYNCED = "_fivetran_synced"
