{#-
    Connected components by label propagation, in portable SQL (no recursion, no engine
    specific graph functions). Emits CTEs named <prefix>_edges, <prefix>_pass_0 ..
    <prefix>_pass_<passes>, and <prefix>_components (node_key, component_label), for use inside
    a model's `with` list (follow the call with a comma).

      nodes_cte: node_key, initial_label (labels order nodes: the smallest label of a component
                 becomes its label, so put the preferred anchor first in sort order)
      edges_cte: from_node_key, to_node_key (undirected; both directions are added here)

    The default implementation runs `passes` label-propagation passes over the whole graph.
    Each pass gives every node the smallest label among itself and its neighbours, so after
    `passes` passes every component whose diameter (longest shortest path, in edges) is at most
    `passes` carries one label. The bound is checked, not assumed: the singular tests
    assert_person_components_converged / assert_account_components_converged fail when two
    linked nodes end with different labels (raise `passes` then).
-#}
{% macro connected_components(nodes_cte, edges_cte, prefix='cc', passes=12) -%}
{{ return(adapter.dispatch('connected_components')(nodes_cte, edges_cte, prefix, passes)) }}
{%- endmacro %}

{% macro default__connected_components(nodes_cte, edges_cte, prefix, passes) -%}
{{ _connected_components_start(nodes_cte, edges_cte, prefix) }}
{% for i in range(1, passes + 1) %}
{{ prefix }}_pass_{{ i }} as (
    select
        nodes.node_key,
        least(
            nodes.component_label,
            coalesce(min(neighbours.component_label), nodes.component_label)
        ) as component_label
    from {{ prefix }}_pass_{{ i - 1 }} as nodes
    left join {{ prefix }}_edges as edges
        on nodes.node_key = edges.node_key
    left join {{ prefix }}_pass_{{ i - 1 }} as neighbours
        on edges.neighbour_key = neighbours.node_key
    group by nodes.node_key, nodes.component_label
),
{% endfor %}
{{ _connected_components_end(prefix, passes) }}
{%- endmacro %}

{#-
    DuckDB: the same labels from a recursive CTE keyed on node_key (USING KEY, DuckDB >= 1.3).
    Each iteration only revisits the nodes whose label dropped in the previous one, and it stops
    when no label changes, so components of any diameter converge (`passes` is not needed) at
    a fraction of the cost of full passes over the graph. Same CTE names as the default, minus
    the passes.
-#}
{% macro duckdb__connected_components(nodes_cte, edges_cte, prefix, passes) -%}
{{ _connected_components_start(nodes_cte, edges_cte, prefix) }}

{{ prefix }}_components as (
    with recursive propagated (node_key, component_label) using key (node_key) as (
        select
            node_key,
            component_label
        from {{ prefix }}_pass_0
        union
        select
            edges.neighbour_key as node_key,
            min(changed.component_label) as component_label
        from propagated as changed
        inner join {{ prefix }}_edges as edges
            on changed.node_key = edges.node_key
        inner join recurring.propagated as current_labels
            on edges.neighbour_key = current_labels.node_key
        where changed.component_label < current_labels.component_label
        group by edges.neighbour_key
    )

    select
        node_key,
        component_label
    from propagated
)
{%- endmacro %}

{#-
    Spark: the default's passes, each reading the previous pass once. Spark inlines CTEs, and
    the default reads the previous pass twice (the node and its neighbours), so its plan
    doubles with every pass (2^12 copies of pass 0 for 12 passes: out of memory). Here every
    node is its own neighbour (a self edge), so a pass is one join and one min over the
    neighbours including the node itself: the same labels as the default, a plan linear in
    `passes`. Convergence is checked by the same singular tests.
-#}
{% macro spark__connected_components(nodes_cte, edges_cte, prefix, passes) -%}
{{ _connected_components_start(nodes_cte, edges_cte, prefix) }}

{{ prefix }}_reach as (
    select
        node_key,
        neighbour_key
    from {{ prefix }}_edges
    where node_key in (select node_key from {{ prefix }}_pass_0)
    union
    select
        node_key,
        node_key as neighbour_key
    from {{ prefix }}_pass_0
),
{% for i in range(1, passes + 1) %}
{{ prefix }}_pass_{{ i }} as (
    select
        reach.node_key,
        min(previous.component_label) as component_label
    from {{ prefix }}_reach as reach
    inner join {{ prefix }}_pass_{{ i - 1 }} as previous
        on reach.neighbour_key = previous.node_key
    group by reach.node_key
),
{% endfor %}
{{ _connected_components_end(prefix, passes) }}
{%- endmacro %}

{#- Shared by all: <prefix>_edges (both directions) and <prefix>_pass_0 (initial labels). -#}
{% macro _connected_components_start(nodes_cte, edges_cte, prefix) -%}
{{ prefix }}_edges as (
    select
        from_node_key as node_key,
        to_node_key as neighbour_key
    from {{ edges_cte }}
    union
    select
        to_node_key as node_key,
        from_node_key as neighbour_key
    from {{ edges_cte }}
),

{{ prefix }}_pass_0 as (
    select
        node_key,
        min(initial_label) as component_label
    from {{ nodes_cte }}
    group by node_key
),
{%- endmacro %}

{#- Shared by the variants that run passes: <prefix>_components, the labels of the last pass. -#}
{% macro _connected_components_end(prefix, passes) -%}
{{ prefix }}_components as (
    select
        node_key,
        component_label
    from {{ prefix }}_pass_{{ passes }}
)
{%- endmacro %}

{#-
    The anchor of a record's component, as a window function over the rows of records joined
    to <prefix>_components: the record_key of the record whose anchor_sort is the component's
    label (the smallest initial label wins, so that record is the component's anchor). A window,
    not a join back to the components: Spark inlines every reference to a CTE.
-#}
{% macro component_anchor_key(records, components) -%}
max(
    case
        when {{ records }}.anchor_sort = {{ components }}.component_label
            then {{ records }}.record_key
    end
) over (partition by {{ components }}.component_label)
{%- endmacro %}
