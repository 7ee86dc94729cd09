"""Which raw contract tables and columns the warehouse holds.

A real export holds some of the contract's tables, and of those some columns. The rule models
read raw tables through dbt's ``contract_source`` macro (an absent table or column is empty or
NULL there); whether a check applies at all is decided here, from its ``requires`` in
checks.yml (a check whose inputs are absent is "not applicable"), and a suite skips the
expectations on absent columns.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from orchestration.ingest.contract import Contract


@dataclass(frozen=True)
class RawPresence:
    """Which contract tables exist in the warehouse, and which contract columns each lacks."""

    present: frozenset[str]
    missing_columns: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def exists(self, schema_table: str) -> bool:
        return schema_table in self.present


def presence(con: Any, contract: Contract) -> RawPresence:
    """Read information_schema once for every raw schema of the contract."""
    schemas = sorted({t.schema for t in contract.tables})
    listed = ", ".join("'" + s + "'" for s in schemas)
    found: dict[str, set[str]] = {}
    if hasattr(con, "spark"):  # Spark has no information_schema: its catalogue (spark.py)
        for schema, table, column in _spark_columns(con.spark, schemas):
            found.setdefault(f"{schema}.{table}", set()).add(column.lower())
    else:
        cur = con.cursor()
        try:
            cur.execute(
                "select table_schema, table_name, column_name from information_schema.columns "
                f"where table_schema in ({listed})"
            )
            for schema, table, column in cur.fetchall():
                found.setdefault(f"{schema}.{table}", set()).add(str(column).lower())
        finally:
            cur.close()
    missing = {}
    for table in contract.tables:
        name = f"{table.schema}.{table.name}"
        if name in found:
            lacking = tuple(c.name for c in table.columns if c.name.lower() not in found[name])
            if lacking:
                missing[name] = lacking
    return RawPresence(
        present=frozenset(n for n in found if _in_contract(contract, n)),
        missing_columns=missing,
    )


def _in_contract(contract: Contract, schema_table: str) -> bool:
    schema, _, table = schema_table.partition(".")
    return any(t.schema == schema and t.name == table for t in contract.tables)


def _spark_columns(spark: Any, schemas: list[str]) -> list[tuple[str, str, str]]:
    """(schema, table, column) of every table of ``schemas`` that exist in Spark's catalogue."""
    from orchestration.spark import catalog_tables

    return [
        (schema, table.name, column.name)
        for schema, table in catalog_tables(spark, schemas)
        for column in spark.catalog.listColumns(table.name, schema)
    ]
