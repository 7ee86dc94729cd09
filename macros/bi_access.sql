{#-
    BI access (README, "Connecting a BI tool").

    PostgreSQL: `revops_bi` is a role without login rights of its own; a person or a BI tool
    logs in with a login role that is a member of it (`create role <name> login password '...'
    in role revops_bi`). The role reads the public marts and the semantic layer's time spine
    and nothing else:
      - bi_role() (on-run-start) creates it when missing (idempotent, also when two builds on
        one server race: a duplicate is not an error);
      - the `grants` config of marts and semantic (dbt_project.yml) gives SELECT on each table
        after every build, including a table dbt rebuilt and swapped in (dbt-postgres applies
        the config to the new relation and revokes what it does not list);
      - bi_schema_usage() (on-run-end) gives USAGE on those schemas (dbt grants tables only).
    No other schema (raw_*, staging, intermediate, snapshots, quality) is granted: PostgreSQL
    gives a new schema no PUBLIC rights, so the role cannot even see into them.

    DuckDB has no roles or grants: its BI boundary is the serving file (orchestration/serving),
    which holds the public marts only. duckdb__apply_grants is silenced here (dbt-duckdb warns
    that grants are unsupported) so one `grants` config serves both targets.
-#}

{% macro bi_role_name() -%}
    revops_bi
{%- endmacro %}


{% macro bi_role() -%}
    {%- if target.type == 'postgres' -%}
        do $bi_role$
        begin
            if not exists (select from pg_catalog.pg_roles where rolname = '{{ bi_role_name() }}') then
                create role {{ bi_role_name() }} nologin;
            end if;
        exception
            when duplicate_object or unique_violation then null;
        end
        $bi_role$
    {%- else -%}
        select 1
    {%- endif -%}
{%- endmacro %}


{#- USAGE on the BI-readable schemas that exist (a partial build may not have made both). -#}
{% macro bi_schema_usage() -%}
    {%- if target.type == 'postgres' -%}
        do $bi_usage$
        declare s text;
        begin
            foreach s in array array['marts', 'semantic'] loop
                if exists (select from pg_catalog.pg_namespace where nspname = s) then
                    execute format('grant usage on schema %I to {{ bi_role_name() }}', s);
                end if;
            end loop;
        end
        $bi_usage$
    {%- else -%}
        select 1
    {%- endif -%}
{%- endmacro %}


{% macro duckdb__apply_grants(relation, grant_config, should_revoke=True) -%}
{%- endmacro %}


{#-
    Spark (dbt-spark) has no SQL grants unless the cluster runs an authorization layer (Unity
    Catalog on Databricks, where dbt-databricks applies the `grants` config itself); local and
    open-source Spark would fail on GRANT, so the BI boundary there is the serving file too.
-#}
{% macro spark__apply_grants(relation, grant_config, should_revoke=True) -%}
{%- endmacro %}
