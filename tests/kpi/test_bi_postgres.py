"""A BI tool on PostgreSQL: a login in revops_bi reads the public marts and nothing else.

Reuses the session's PostgreSQL build (tests/kpi/pg_build.py). A login role made a member of
`revops_bi` (as the README tells an administrator) connects through psycopg2 as a BI tool does:
every public mart (and the semantic layer's time spine) is readable, every raw, staging,
intermediate, snapshot and quality relation is denied, no write or DDL is allowed, and the
YAML descriptions are the table and column comments. The public marts and their descriptions
come from the dbt manifest, the other relations from the server's catalog.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from tests.dbt_cli import run_dbt
from tests.kpi.conftest import KpiWarehouse
from tests.kpi.pg_build import pg_env, pg_work
from tests.pg import admin, dsn, pg_query

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

BI_ROLE = "revops_bi"
BI_SCHEMAS = ("marts", "semantic", "serving")


def manifest_models(kpi_warehouse: KpiWarehouse) -> dict[tuple[str, str], dict[str, Any]]:
    """(schema, name) -> manifest node of every model the PostgreSQL build made."""
    manifest = json.loads((pg_work(kpi_warehouse) / "target" / "manifest.json").read_text())
    return {
        (n["schema"], n["name"]): n
        for n in manifest["nodes"].values()
        if n["resource_type"] == "model" and n["config"].get("materialized") != "ephemeral"
    }


@pytest.fixture(scope="module")
def bi_login(kpi_pg_built: str, kpi_warehouse: KpiWarehouse) -> Iterator[Any]:
    """A connection of a fresh login role in revops_bi, after one table was rebuilt (swapped)."""
    import psycopg2

    # a second build of one mart replaces its table: the grant must hold on the new relation
    run_dbt(
        ["run", "--select", "dim_channel"],
        pg_env(kpi_pg_built),
        pg_work(kpi_warehouse),
        as_of=kpi_warehouse.as_of,
    )
    login = f"bi_test_{uuid.uuid4().hex[:8]}"
    admin(f"create role {login} login password 'not-a-secret' in role {BI_ROLE}")
    con = psycopg2.connect(
        dsn(kpi_pg_built).replace("user='postgres'", f"user='{login}'")
        + " password='not-a-secret'",
        connect_timeout=10,
    )
    con.autocommit = True
    try:
        yield con
    finally:
        con.close()
        admin(f"drop role if exists {login}")


def denied(con: Any, sql: str) -> bool:
    """Whether the statement fails for lack of privileges."""
    import psycopg2

    try:
        with con.cursor() as cur:
            cur.execute(sql)
    except psycopg2.errors.InsufficientPrivilege:
        return True
    return False


def test_bi_login_reads_every_public_mart(bi_login, kpi_warehouse):
    public = [key for key in manifest_models(kpi_warehouse) if key[0] in BI_SCHEMAS]
    assert ("marts", "dim_owner") in public and ("semantic", "metricflow_time_spine") in public
    assert len(public) >= 20
    for schema, name in public:
        with bi_login.cursor() as cur:
            cur.execute(f'select count(*) from {schema}."{name}"')
            assert cur.fetchone()[0] >= 0


def test_bi_login_reads_nothing_else(bi_login, kpi_pg_built):
    others = pg_query(
        kpi_pg_built,
        "select n.nspname, c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace "
        "where c.relkind in ('r', 'v', 'm', 'p') and n.nspname not in "
        "('marts', 'semantic', 'serving', 'pg_catalog', 'information_schema') "
        "and n.nspname not like 'pg\\_%'",
    )
    schemas = {schema for schema, _ in others}
    for expected in ("raw_salesforce", "raw_hubspot", "staging", "intermediate", "snapshots"):
        assert expected in schemas
    assert not any(s == "marts" for s in schemas)
    readable = [f"{s}.{t}" for s, t in others if not denied(bi_login, f'select 1 from {s}."{t}"')]
    assert readable == []


@pytest.mark.parametrize(
    "statement",
    [
        "insert into marts.dim_channel (channel) values ('bi_test')",
        "update marts.dim_channel set channel_name = 'x'",
        "delete from marts.dim_channel",
        "truncate marts.dim_channel",
        "create table marts.bi_test (x int)",
        "create table public.bi_test (x int)",
        "create schema bi_test",
        "drop table marts.dim_channel",
        "comment on table marts.dim_channel is 'x'",
    ],
)
def test_bi_login_cannot_write(bi_login, statement):
    assert denied(bi_login, statement), statement


def test_descriptions_are_in_the_database(bi_login, kpi_warehouse):
    """What `\\d+` shows (pg_description), read as the BI login, equals the YAML."""
    public = {k: v for k, v in manifest_models(kpi_warehouse).items() if k[0] in BI_SCHEMAS}
    with bi_login.cursor() as cur:
        cur.execute(
            "select n.nspname, c.relname, obj_description(c.oid, 'pg_class'), a.attname, "
            "col_description(c.oid, a.attnum) from pg_class c "
            "join pg_namespace n on n.oid = c.relnamespace "
            "join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped "
            "where n.nspname in ('marts', 'semantic')"
        )
        rows = cur.fetchall()
    tables = {(s, t): d for s, t, d, _, _ in rows}
    columns = {(s, t, c): d for s, t, _, c, d in rows}
    checked = 0
    for key, node in public.items():
        assert tables.get(key) == node["description"], key
        for name, column in node["columns"].items():
            assert columns.get((*key, name)) == column["description"], (key, name)
            checked += 1
    assert checked > 200


def test_serving_schema_is_every_mart_swapped_in_whole(bi_login, kpi_pg_built, monkeypatch):
    """The serving asset's PostgreSQL part: every mart copied into schema serving with its
    rows and descriptions, readable by revops_bi; a publish that fails midway leaves the
    previous serving schema whole (one transaction) and no half-built schema behind."""
    from orchestration import serving_pg
    from orchestration.serving import refresh
    from orchestration.settings import Settings

    settings = Settings.from_env(pg_env(kpi_pg_built))
    result = refresh(settings)
    marts = {
        t: n
        for t, n in pg_query(
            kpi_pg_built,
            "select c.relname, c.reltuples from pg_class c join pg_namespace s "
            "on s.oid = c.relnamespace where s.nspname = 'marts' and c.relkind = 'r'",
        )
    }
    assert result.serving_file is None and result.skipped is None
    assert {t.table for t in result.tables} == set(marts) and len(marts) >= 20
    for table in result.tables:
        with bi_login.cursor() as cur:
            cur.execute(f'select count(*) from serving."{table.table}"')
            served = cur.fetchone()[0]
        (expected,) = pg_query(kpi_pg_built, f'select count(*) from marts."{table.table}"')[0]
        assert served == table.rows == expected, table.table
    comments = pg_query(
        kpi_pg_built,
        "select s.nspname, obj_description(c.oid, 'pg_class') from pg_class c "
        "join pg_namespace s on s.oid = c.relnamespace "
        "where c.relname = 'dim_owner' and s.nspname in ('marts', 'serving')",
    )
    assert len({d for _, d in comments}) == 1 and comments[0][1]

    oid = "select 'serving.dim_owner'::regclass::oid"
    first = pg_query(kpi_pg_built, oid)
    refresh(settings)  # a second publish replaces every table: the check below can see it
    second = pg_query(kpi_pg_built, oid)
    assert second != first
    calls = []

    def failing(cur, table):
        calls.append(table)
        if len(calls) > 3:
            raise RuntimeError("killed midway")

    monkeypatch.setattr(serving_pg, "_copy_comments", failing)
    with pytest.raises(RuntimeError, match="killed midway"):
        refresh(settings)
    assert pg_query(kpi_pg_built, oid) == second  # the previous serving schema, untouched
    assert pg_query(
        kpi_pg_built, "select count(*) from pg_namespace where nspname = 'serving__next'"
    ) == [(0,)]
