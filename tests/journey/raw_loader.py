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


def contract(repo: Path = REPO) -> dict[str, dict[str, dict[str, Any]]]:
    """{system: {table: {"columns": [(name, duckdb type)], "primary_key": [...]}}}."""
    out: dict[str, dict[str, dict[str, Any]]] = {}
    for system in SYSTEMS:
        path = repo / "models" / "staging" / system / f"_{system}__sources.yml"
        doc = yaml.safe_load(path.read_text())
        for source in doc["sources"]:
            for table in source["tables"]:
                cols = [
                    (c["name"], DUCKDB_TYPES[c.get("data_type", "text")])
                    for c in table["columns"]
                ]
                out.setdefault(source["name"], {})[table["name"]] = {
                    "columns": cols,
                    "primary_key": table.get("meta", {}).get("primary_key", []),
                }
    return out


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
                col_ddl = ", ".join(f'"{n}" {t}' for n, t in cols)
                con.execute(
                    f'create table if not exists {schema}."{table}" '
                    f"({col_ddl}, _dlt_load_id varchar, _dlt_id varchar)"
                )
                csv = landing / system / f"{table}.csv"
                if not csv.exists():
                    continue
                con.execute(
                    "create or replace temp table incoming as select * from "
                    "read_csv(?, header = true, all_varchar = true)",
                    [str(csv)],
                )
                present = {r[0] for r in con.execute("describe incoming").fetchall()}
                exprs = []
                for name, typ in cols:
                    if name in present:
                        exprs.append(f'cast(nullif("{name}", \'\') as {typ}) as "{name}"')
                    elif name == "_fivetran_synced":
                        ts = f"'{synced_at}'" if synced_at else "current_timestamp"
                        exprs.append(f'cast({ts} as {typ}) as "{name}"')
                    else:
                        exprs.append(f'cast(null as {typ}) as "{name}"')
                select = (
                    f"select {', '.join(exprs)}, '{load_id}' as _dlt_load_id, "
                    "cast(uuid() as varchar) as _dlt_id from incoming"
                )
                pk = spec["primary_key"]
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
                counts[f"{system}.{table}"] = con.execute(
                    "select count(*) from incoming"
                ).fetchone()[0]
    finally:
        con.close()
    return counts
