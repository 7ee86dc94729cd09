"""The raw data contract, read from the dbt source YAML files (the single source of truth).

Each ``models/staging/<system>/_<system>__sources.yml`` lists the raw tables of one system with
column ``data_type`` (text, bigint, double, boolean, date, timestamp), ``meta.required`` and the
table's ``meta.primary_key`` and ``meta.dagster.asset_key``. The ``schema:``/``database:`` there
are Jinja strings for dbt; the loader always writes to ``raw_<system>``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

DATA_TYPES = ("text", "bigint", "double", "boolean", "date", "timestamp")
SYNCED_COLUMN = "_fivetran_synced"


class ContractError(ValueError):
    """The source YAML does not describe a usable raw contract."""


@dataclass(frozen=True)
class Column:
    """One contracted column."""

    name: str
    data_type: str
    required: bool = False
    description: str = ""
    #: Part of the row key of a keyless table (meta.row_key, default true). A column added to
    #: the contract later says false: hashing it would re-key, and double count, every row a
    #: warehouse already holds.
    row_key: bool = True


@dataclass(frozen=True)
class Table:
    """One contracted raw table."""

    system: str
    name: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    asset_key: tuple[str, ...]
    description: str = ""
    source_file: str = ""

    @property
    def schema(self) -> str:
        """The warehouse schema (dlt dataset) of the table."""
        return f"raw_{self.system}"

    @property
    def qualified_name(self) -> str:
        return f"{self.system}.{self.name}"

    def column(self, name: str) -> Column | None:
        return next((c for c in self.columns if c.name == name), None)

    @property
    def required_columns(self) -> tuple[str, ...]:
        """Columns that must be present and filled: ``meta.required`` and the primary key."""
        return tuple(c.name for c in self.columns if c.required or c.name in self.primary_key)


@dataclass(frozen=True)
class Contract:
    """All raw tables, by system."""

    tables: tuple[Table, ...]

    @property
    def systems(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(t.system for t in self.tables))

    def tables_of(self, system: str) -> tuple[Table, ...]:
        return tuple(t for t in self.tables if t.system == system)

    def get(self, system: str, table: str) -> Table:
        for t in self.tables:
            if t.system == system and t.name == table:
                return t
        known = ", ".join(t.name for t in self.tables_of(system)) or "none"
        raise ContractError(
            f"{system}.{table} is not in the raw contract (tables of {system}: {known})"
        )


def sources_files(project_dir: Path) -> list[Path]:
    """The source YAML files of the raw systems."""
    return sorted((project_dir / "models" / "staging").glob("*/_*__sources.yml"))


def load_contract(project_dir: Path) -> Contract:
    """Parse every ``_<system>__sources.yml`` under ``models/staging`` of ``project_dir``."""
    files = sources_files(project_dir)
    if not files:
        raise ContractError(
            f"no raw contract found: {project_dir}/models/staging/*/_*__sources.yml is missing"
        )
    tables: list[Table] = []
    for path in files:
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for source in doc.get("sources") or []:
            for raw_table in source.get("tables") or []:
                tables.append(_parse_table(path, str(source["name"]), raw_table))
    return Contract(tables=tuple(tables))


def _parse_table(path: Path, system: str, raw: dict[str, Any]) -> Table:
    name = str(raw["name"])
    where = f"{path}: table {system}.{name}"
    meta = raw.get("meta") or {}
    columns: list[Column] = []
    for raw_col in raw.get("columns") or []:
        col_name = str(raw_col["name"])
        data_type = str(raw_col.get("data_type") or "text").lower()
        if data_type not in DATA_TYPES:
            raise ContractError(
                f"{where}, column {col_name}: data_type {data_type!r} is not one of "
                f"{', '.join(DATA_TYPES)}"
            )
        col_meta = raw_col.get("meta") or {}
        columns.append(
            Column(
                name=col_name,
                data_type=data_type,
                required=bool(col_meta.get("required", False)),
                description=str(raw_col.get("description") or ""),
                row_key=bool(col_meta.get("row_key", True)),
            )
        )
    names = [c.name for c in columns]
    if len(set(names)) != len(names):
        raise ContractError(f"{where}: a column is listed twice")
    primary_key = tuple(str(k) for k in meta.get("primary_key") or ())
    for key in primary_key:
        if key not in names:
            raise ContractError(f"{where}: primary key column {key} is not a listed column")
    dagster_meta = meta.get("dagster") or {}
    asset_key = tuple(str(k) for k in dagster_meta.get("asset_key") or (f"raw_{system}", name))
    return Table(
        system=system,
        name=name,
        columns=tuple(columns),
        primary_key=primary_key,
        asset_key=asset_key,
        description=str(raw.get("description") or ""),
        source_file=str(path),
    )
