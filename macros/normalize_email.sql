{#-
    Trimmed, lower-cased email; empty strings become null so they never link two people.
    Invisible characters that exports and copy-paste leave in addresses (no-break spaces,
    zero-width spaces and joiners, byte-order marks) are removed first: they are never part of
    an address, and 'jane@acme.com' with a trailing no-break space is the same person.
-#}
{% macro normalize_email(column) -%}
    nullif(lower(trim(translate({{ column }}, {{ invisible_characters() }}, ''))), '')
{%- endmacro %}

{#- U+00A0, U+2007, U+202F (no-break spaces), U+200B-U+200D, U+2060 (zero-width), U+FEFF (BOM) -#}
{% macro invisible_characters() -%}
    ({%- for code in [160, 8199, 8239, 8203, 8204, 8205, 8288, 65279] -%}
        chr({{ code }}){{ ' || ' if not loop.last }}
    {%- endfor -%})
{%- endmacro %}

{#- The part after the last '@' of an already normalised email (null when there is none). -#}
{% macro email_domain(normalized_email) -%}
    case
        when {{ normalized_email }} like '%@%'
            then {{ normalize_domain(dbt.split_part(normalized_email, "'@'", 2)) }}
    end
{%- endmacro %}
