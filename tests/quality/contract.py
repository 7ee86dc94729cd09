"""Test helpers: empty raw tables created from the raw contract (the sources YAML).

Lets the quality tests build tiny warehouses row by row, on DuckDB or PostgreSQL, without the
simulator or the loader.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml

from orchestration.settings import PROJECT_DIR, Settings
from orchestration.warehouse import connect

SOURCES = sorted((PROJECT_DIR / "models" / "staging").glob("*/_*__sources.yml"))
TYPES = {
    "text": "varchar",
    "timestamp": "timestamp with time zone",
    "date": "date",
    "bigint": "bigint",
    "double": "double precision",
    "boolean": "boolean",
}


def contract() -> dict[tuple[str, str], list[tuple[str, str]]]:
    """(schema, table) -> [(column, SQL type)] of every raw table."""
    tables: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for path in SOURCES:
        for source in yaml.safe_load(Path(path).read_text())["sources"]:
            schema = f"raw_{source['name']}"
            for table in source["tables"]:
                tables[(schema, table["name"])] = [
                    (c["name"], TYPES.get(c.get("data_type", "text"), "varchar"))
                    for c in table["columns"]
                ]
    return tables


def create_raw_tables(settings: Settings) -> None:
    """Every raw table of the contract, empty."""
    with connect(settings) as con:
        cur = con.cursor()
        for (schema, table), columns in contract().items():
            cur.execute(f"create schema if not exists {schema}")
            cols = ", ".join(f'"{name}" {sql_type}' for name, sql_type in columns)
            cur.execute(f'create table if not exists {schema}."{table}" ({cols})')


def insert(settings: Settings, table: str, rows: Iterable[Mapping[str, Any]]) -> None:
    """Insert dict rows into schema.table (columns from the first row)."""
    rows = list(rows)
    if not rows:
        return
    schema, name = table.split(".")
    columns = list(rows[0])
    marker = "?" if settings.target == "duckdb" else "%s"
    names = ", ".join(f'"{c}"' for c in columns)
    sql = f'insert into {schema}."{name}" ({names}) values ({", ".join([marker] * len(columns))})'
    with connect(settings) as con:
        cur = con.cursor()
        cur.executemany(sql, [tuple(r.get(c) for c in columns) for r in rows])


def execute(settings: Settings, *statements: str) -> None:
    """Run statements in one write connection."""
    with connect(settings) as con:
        cur = con.cursor()
        for statement in statements:
            cur.execute(statement)
