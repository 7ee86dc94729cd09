"""The PostgreSQL target's consistent set of marts for BI tools: the schema ``serving``.

dbt replaces each mart in its own transaction, so a reader of ``marts`` during a run (or after
a run killed inside dbt) can see some marts new and others old. At the end of every complete
run the serving asset copies every table of ``marts`` into a new schema and swaps it in for
``serving`` in one transaction (drop the old, rename the new): a reader of ``serving`` sees
the previous run's marts or this run's, never a mix, and a failed or killed run leaves the
previous set in place. The tables keep their descriptions, and the ``revops_bi`` role may read
them (macros/bi_access.sql creates the role on every dbt run).
"""

from __future__ import annotations

from typing import Any

from orchestration.settings import Settings
from orchestration.warehouse import connect

SOURCE = "marts"
SCHEMA = "serving"
NEXT = "serving__next"
BI_ROLE = "revops_bi"


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _tables(cur: Any) -> list[str]:
    cur.execute(
        "select table_name from information_schema.tables "
        "where table_schema = %s and table_type = 'BASE TABLE' order by table_name",
        (SOURCE,),
    )
    return [row[0] for row in cur.fetchall()]


def _copy_comments(cur: Any, table: str) -> None:
    """The mart's table and column descriptions onto its copy."""
    cur.execute(
        "select obj_description(c.oid, 'pg_class') from pg_class c "
        "join pg_namespace n on n.oid = c.relnamespace where n.nspname = %s and c.relname = %s",
        (SOURCE, table),
    )
    (comment,) = cur.fetchone()
    target = f"{NEXT}.{_ident(table)}"
    if comment:
        cur.execute(f"comment on table {target} is %s", (comment,))
    cur.execute(
        "select a.attname, col_description(a.attrelid, a.attnum) from pg_attribute a "
        "where a.attrelid = %s::regclass and a.attnum > 0 and not a.attisdropped",
        (f"{SOURCE}.{_ident(table)}",),
    )
    for column, description in cur.fetchall():
        if description:
            cur.execute(f"comment on column {target}.{_ident(column)} is %s", (description,))


def publish(settings: Settings) -> dict[str, int]:
    """Copy every mart into ``serving`` and swap it in atomically; {table: rows}."""
    with connect(settings) as con:
        con.autocommit = False
        try:
            with con.cursor() as cur:
                cur.execute(f"drop schema if exists {NEXT} cascade")
                cur.execute(f"create schema {NEXT}")
                rows = {}
                for table in _tables(cur):
                    name = _ident(table)
                    cur.execute(f"create table {NEXT}.{name} as select * from {SOURCE}.{name}")
                    cur.execute(f"select count(*) from {NEXT}.{name}")
                    rows[table] = cur.fetchone()[0]
                    _copy_comments(cur, table)
                cur.execute("select 1 from pg_roles where rolname = %s", (BI_ROLE,))
                if cur.fetchone():
                    cur.execute(f"grant usage on schema {NEXT} to {BI_ROLE}")
                    cur.execute(f"grant select on all tables in schema {NEXT} to {BI_ROLE}")
                cur.execute(f"drop schema if exists {SCHEMA} cascade")
                cur.execute(f"alter schema {NEXT} rename to {SCHEMA}")
            con.commit()
        except Exception:
            con.rollback()
            raise
    return rows
