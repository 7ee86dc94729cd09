"""Test helper: load simulator CSVs into raw_<system> tables of a DuckDB file.

Not the product loader (that is dlt, in orchestration/). It exists so the dbt journey tests can
run before and independently of the loader: it creates every raw table of the contract
(models/staging/<system>/_<system>__sources.yml) with the contract's types, timestamps as
``timestamp with time zone`` like the loader writes them, plus dlt's ``_dlt_load_id`` and
``_dlt_id`` columns, and merges each CSV on the table's primary key (append where there is none).
Tables without a CSV are created empty, so the project always builds.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import duckdb
import yaml

REPO = Path(__file__).resolve().parents[2]
SYSTEMS = ("salesforce", "hubspot", "ads", "web")
DUCKDB_TYPES = {
    "text": "varchar",
    "bigint": "bigint",
    "double": "double",
    "boolean": "boolean",
    "date": "date",
    "timestamp": "timestamp with time zone",
}
POSTGRES_TYPES = {
    "text": "text",
    "bigint": "bigint",
    "double": "double precision",
    "boolean": "boolean",
    "date": "date",
    "timestamp": "timestamptz",
}


def contract(
    repo: Path = REPO, types: dict[str, str] = DUCKDB_TYPES
) -> dict[str, dict[str, dict[str, Any]]]:
    """{system: {table: {"columns": [(name, database type)], "primary_key": [...]}}}, the
    contract's data types as ``types`` names them (DuckDB's by default)."""
    out: dict[str, dict[str, dict[str, Any]]] = {}
    for system in SYSTEMS:
        path = repo / "models" / "staging" / system / f"_{system}__sources.yml"
        doc = yaml.safe_load(path.read_text())
        for source in doc["sources"]:
            for table in source["tables"]:
                cols = [(c["name"], types[c.get("data_type", "text")]) for c in table["columns"]]
                out.setdefault(source["name"], {})[table["name"]] = {
                    "columns": cols,
                    "primary_key": table.get("meta", {}).get("primary_key", []),
                }
    return out


def create_table_sql(schema: str, table: str, cols: list[tuple[str, str]], text: str) -> str:
    """The raw table as the loader makes it: the contract's columns and dlt's two (``text``:
    the database's text type)."""
    col_ddl = ", ".join(f'"{n}" {t}' for n, t in cols)
    return (
        f'create table if not exists {schema}."{table}" '
        f"({col_ddl}, _dlt_load_id {text}, _dlt_id {text})"
    )


def keyed_sql(primary_key: list[str]) -> str:
    """The condition of a row whose primary key is whole (the others are quarantined)."""
    return " and ".join(f"nullif(\"{k}\", '') is not null" for k in primary_key) or "true"


def load(landing: Path, db_path: Path, synced_at: str | None = None) -> dict[str, int]:
    """Merge landing/<system>/<table>.csv into db_path; return rows read per system.table.

    synced_at: value for _fivetran_synced where a CSV lacks it (default: now).
    """
    con = duckdb.connect(str(db_path))
    con.execute("set TimeZone = 'UTC'")
    counts: dict[str, int] = {}
    load_id = uuid.uuid4().hex
    try:
        for system, tables in contract().items():
            schema = f"raw_{system}"
            con.execute(f"create schema if not exists {schema}")
            for table, spec in tables.items():
                cols = spec["columns"]
                con.execute(create_table_sql(schema, table, cols, "varchar"))
                csv = landing / system / f"{table}.csv"
                if not csv.exists():
                    continue
                con.execute(
                    "create or replace temp table incoming as select * from "
                    "read_csv(?, header = true, all_varchar = true)",
                    [str(csv)],
                )
                file_columns = [r[0] for r in con.execute("describe incoming").fetchall()]
                present = set(file_columns)
                known = {n for n, _ in cols} | {"_dlt_load_id", "_dlt_id"}
                existing = {
                    r[0]
                    for r in con.execute(
                        "select column_name from information_schema.columns "
                        "where table_schema = ? and table_name = ?",
                        [schema, table],
                    ).fetchall()
                }
                # schema drift (e.g. a new custom field region__c): kept as text, like dlt does
                drift = [c for c in file_columns if c not in known]
                for extra in drift:
                    if extra not in existing:
                        con.execute(f'alter table {schema}."{table}" add column "{extra}" varchar')
                exprs = []
                for name, typ in cols:
                    if name in present:
                        exprs.append(f'cast(nullif("{name}", \'\') as {typ}) as "{name}"')
                    elif name == "_fivetran_synced":
                        ts = f"'{synced_at}'" if synced_at else "current_timestamp"
                        exprs.append(f'cast({ts} as {typ}) as "{name}"')
                    else:
                        exprs.append(f'cast(null as {typ}) as "{name}"')
                table_columns = [
                    r[0]
                    for r in con.execute(
                        "select column_name from information_schema.columns "
                        "where table_schema = ? and table_name = ? order by ordinal_position",
                        [schema, table],
                    ).fetchall()
                ]
                by_name = dict(zip([n for n, _ in cols], exprs, strict=True))
                by_name["_dlt_load_id"] = f"'{load_id}' as _dlt_load_id"
                by_name["_dlt_id"] = "cast(uuid() as varchar) as _dlt_id"
                for extra in table_columns:
                    if extra not in by_name:
                        by_name[extra] = (
                            f'nullif("{extra}", \'\') as "{extra}"'
                            if extra in present
                            else f'cast(null as varchar) as "{extra}"'
                        )
                pk = spec["primary_key"]
                # rows with an empty primary key are quarantined, never merged or loaded
                keyed = keyed_sql(pk)
                select = (
                    f"select {', '.join(by_name[c] for c in table_columns)} "
                    f"from incoming where {keyed}"
                )
                if pk:
                    con.execute(f"create or replace temp table typed as {select}")
                    keys = " and ".join(f't."{k}" is not distinct from typed."{k}"' for k in pk)
                    con.execute(
                        f'delete from {schema}."{table}" as t where exists '
                        f"(select 1 from typed where {keys})"
                    )
                    con.execute(f'insert into {schema}."{table}" select * from typed')
                else:
                    con.execute(f'insert into {schema}."{table}" {select}')
                quarantined = con.execute(
                    f"select count(*) from incoming where not ({keyed})"
                ).fetchone()[0]
                if quarantined:
                    counts[f"{system}.{table}.quarantined"] = quarantined
                counts[f"{system}.{table}"] = con.execute(
                    "select count(*) from incoming"
                ).fetchone()[0]
    finally:
        con.close()
    return counts


def load_postgres(landing: Path, dsn: str) -> dict[str, int]:
    """Load landing/<system>/<table>.csv into raw_<system> tables of a PostgreSQL database.

    Same contract, types and quarantine rule as :func:`load` (base loads only: tables are
    created and filled, not merged). Each CSV is copied into a text table, then inserted with
    casts.
    """
    import psycopg2

    counts: dict[str, int] = {}
    tables = contract(types=POSTGRES_TYPES)
    con = psycopg2.connect(dsn)
    con.autocommit = True
    try:
        if con.info.dbname in {"postgres", "template0", "template1"}:
            raise ValueError(f"refusing to load test data into database {con.info.dbname!r}")
        with con.cursor() as cur:
            cur.execute("set timezone = 'UTC'")
            for system in SYSTEMS:
                schema = f"raw_{system}"
                cur.execute(f"create schema if not exists {schema}")
                for table, spec in tables[system].items():
                    cols = spec["columns"]
                    cur.execute(create_table_sql(schema, table, cols, "text"))
                    csv = landing / system / f"{table}.csv"
                    if not csv.exists():
                        continue
                    with csv.open(encoding="utf-8") as handle:
                        header = handle.readline().rstrip("\n").split(",")
                        handle.seek(0)
                        cur.execute("drop table if exists pg_temp.incoming")
                        text_ddl = ", ".join(f'"{c}" text' for c in header)
                        cur.execute(f"create temp table incoming ({text_ddl})")
                        cur.copy_expert(
                            "copy incoming from stdin with (format csv, header)", handle
                        )
                    present = set(header)
                    exprs = [
                        f"cast(nullif(\"{n}\", '') as {t})"
                        if n in present
                        else f"cast(null as {t})"
                        for n, t in cols
                    ]
                    keyed = keyed_sql(spec["primary_key"])
                    names = ", ".join(f'"{n}"' for n, _ in cols)
                    cur.execute(
                        f'insert into {schema}."{table}" ({names}, _dlt_load_id, _dlt_id) '
                        f"select {', '.join(exprs)}, 'test', md5(random()::text) "
                        f"from incoming where {keyed}"
                    )
                    counts[f"{system}.{table}"] = cur.rowcount
    finally:
        con.close()
    return counts
