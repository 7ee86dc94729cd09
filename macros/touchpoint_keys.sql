{#-
    touchpoint_id of every touch the sources currently hold (int_touchpoints_unioned's keys),
    as key_value; used to delete vanished touches after incremental runs.
-#}
{% macro touchpoint_keys() -%}
    select {{ surrogate_key(["'web_session'", 'session_id']) }} as key_value
    from {{ ref('stg_web__sessions') }}
    union all
    select {{ surrogate_key(["'form_submission'", 'form_submission_id']) }} as key_value
    from {{ ref('stg_hubspot__contact_form_submissions') }}
    union all
    select {{ surrogate_key(["'email_click'", 'email_event_id']) }} as key_value
    from {{ ref('stg_hubspot__email_events') }}
    where email_event_type = 'CLICK'
    union all
    select {{ surrogate_key(["'sales_activity'", 'task_id']) }} as key_value
    from {{ ref('stg_salesforce__tasks') }}
{%- endmacro %}
