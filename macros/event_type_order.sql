{#-
    Funnel order of journey event types, used to break ties between events at the same instant
    (a form submission before the MQL it triggers, the opportunity before its stage change).
-#}
{% macro event_type_order(column) -%}
    case {{ column }}
        when 'web_session' then 10
        when 'ad_click' then 11
        when 'email_click' then 12
        when 'form_submission' then 13
        when 'lead_created' then 20
        when 'mql' then 30
        when 'sales_activity' then 35
        when 'sal' then 40
        when 'sql' then 50
        when 'opportunity_created' then 60
        when 'opportunity_stage_changed' then 70
        when 'opportunity_won' then 80
        when 'opportunity_lost' then 81
        else 99
    end
{%- endmacro %}
