"""Raw tables as the rules see them: complete with every contract column, present or not.

A real export holds some of the contract's tables, and of those some columns. The rule SQL files
name raw tables directly (``raw_salesforce.opportunity``); before a rule runs, each such name is
replaced by what the warehouse really has, the way dbt's ``contract_source`` macro does for
staging:

* present with every contract column: the table itself, unchanged;
* present but lacking contract columns: ``(select *, cast(null as <type>) as <col> ... from t)``;
* absent: an empty derived table with every contract column, typed.

So a rule never fails on an absent table or column; whether it applies at all is decided by its
``requires`` in checks.yml (a check whose inputs are absent is "not applicable").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from orchestration.ingest.contract import Contract, Table

SQL_TYPES = {
    "text": "varchar",
    "bigint": "bigint",
    "double": "double precision",
    "boolean": "boolean",
    "date": "date",
    "timestamp": "timestamp",
}
#: ``raw_<system>.<table>`` or ``raw_<system>."<table>"``, optionally followed by ``as``.
RAW_REFERENCE = re.compile(
    r'\b(?P<schema>raw_[a-z0-9_]+)\.(?P<quote>"?)(?P<table>[a-z0-9_]+)(?P=quote)'
    r"(?P<alias>\s+as\b)?"
)


@dataclass(frozen=True)
class RawPresence:
    """Which contract tables exist in the warehouse, and which contract columns each lacks."""

    present: frozenset[str]
    missing_columns: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def exists(self, schema_table: str) -> bool:
        return schema_table in self.present

    @classmethod
    def complete(cls, contract: Contract) -> RawPresence:
        """Every contract table present with every column (rendering without a warehouse)."""
        return cls(present=frozenset(f"{t.schema}.{t.name}" for t in contract.tables))


def presence(con: Any, contract: Contract) -> RawPresence:
    """Read information_schema once for every raw schema of the contract."""
    schemas = sorted({t.schema for t in contract.tables})
    listed = ", ".join("'" + s + "'" for s in schemas)
    cur = con.cursor()
    try:
        cur.execute(
            "select table_schema, table_name, column_name from information_schema.columns "
            f"where table_schema in ({listed})"
        )
        found: dict[str, set[str]] = {}
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


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _fill(table: Table, columns: Iterable[str]) -> str:
    wanted = set(columns)
    return ", ".join(
        f"cast(null as {SQL_TYPES[c.data_type]}) as {_quoted(c.name)}"
        for c in table.columns
        if c.name in wanted
    )


def replacement(table: Table, raw: RawPresence) -> str | None:
    """The SQL standing for a raw table (None: the table as it is)."""
    name = f"{table.schema}.{table.name}"
    if not raw.exists(name):
        return f"(select {_fill(table, [c.name for c in table.columns])} where 1 = 0)"
    lacking = raw.missing_columns.get(name)
    if not lacking:
        return None
    return f"(select *, {_fill(table, lacking)} from {table.schema}.{_quoted(table.name)})"


def complete_raw_references(sql: str, contract: Contract, raw: RawPresence) -> str:
    """The rule SQL with every raw contract table replaced as the module docstring says.

    A derived table gets the table's name as alias unless the SQL gives one with ``as``.
    References to tables outside the contract (raw_quarantine.rejected_rows) stay as they are.
    """
    tables = {(t.schema, t.name): t for t in contract.tables}

    def substitute(match: re.Match[str]) -> str:
        table = tables.get((match.group("schema"), match.group("table")))
        if table is None:
            return match.group(0)
        text = replacement(table, raw)
        if text is None:
            return match.group(0)
        if match.group("alias"):
            return text + match.group("alias")
        return f"{text} as {_quoted(table.name)}"

    return RAW_REFERENCE.sub(substitute, sql)


def exists_parameters(contract: Contract, raw: RawPresence) -> dict[str, str]:
    """``exists.<schema>.<table>`` -> 'true'/'false' for every raw contract table."""
    return {
        f"exists.{t.schema}.{t.name}": "true" if raw.exists(f"{t.schema}.{t.name}") else "false"
        for t in contract.tables
    }
