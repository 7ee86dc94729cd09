{#- Generic test: the model holds exactly one row (rows returned = the count when it is not 1). -#}
{% test exactly_one_row(model) %}
    select row_count
    from (select count(*) as row_count from {{ model }}) as counted
    where row_count != 1
{% endtest %}
