"""What a company's export covered, said once in plain words at the end of a run.

Real companies export a subset of the raw contract: a CRM without marketing automation, an ad
platform without a CRM. Every table and column of the contract is optional (dbt's
``contract_source`` fills what is absent), so a run always ends; this module says what was
absent and what that means for the marts:

* systems and tables present in the warehouse, and those absent;
* contract columns missing from present tables (NULL in staging);
* marts that are empty because their inputs are absent, and marts built without some inputs.

Lineage comes from dbt's manifest (each mart's upstream sources), presence from the warehouse.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from orchestration.dbt_project import MANIFEST_NAME, target_dir
from orchestration.ingest.contract import Contract, load_contract
from orchestration.quality.relations import RawPresence, presence
from orchestration.settings import Settings
from orchestration.warehouse import connect

MARTS_SCHEMA = "marts"


@dataclass(frozen=True)
class Coverage:
    """The contract's tables as this warehouse holds them, and the marts they feed."""

    contract: Contract
    raw: RawPresence
    #: mart name -> the contract tables it reads (directly or not), as "system.table"
    mart_inputs: dict[str, tuple[str, ...]] = field(default_factory=dict)
    mart_rows: dict[str, int] = field(default_factory=dict)
    #: "system.table" -> (raw rows, staged rows) of present tables whose staging keeps no row
    #: although raw has some (every row soft-deleted, or without its key)
    no_live_rows: dict[str, tuple[int, int]] = field(default_factory=dict)

    def _present(self, system: str, table: str) -> bool:
        return self.raw.exists(f"raw_{system}.{table}")

    @property
    def tables_present(self) -> list[str]:
        return [t.qualified_name for t in self.contract.tables if self._present(t.system, t.name)]

    @property
    def tables_absent(self) -> list[str]:
        return [
            t.qualified_name for t in self.contract.tables if not self._present(t.system, t.name)
        ]

    def systems(self) -> dict[str, tuple[int, int]]:
        """system -> (tables present, tables in the contract)."""
        out = {}
        for system in self.contract.systems:
            tables = self.contract.tables_of(system)
            out[system] = (sum(self._present(system, t.name) for t in tables), len(tables))
        return out

    @property
    def missing_columns(self) -> dict[str, tuple[str, ...]]:
        """ "system.table" -> contract columns the present table lacks."""
        missing = sorted(self.raw.missing_columns.items())
        return {name.removeprefix("raw_"): cols for name, cols in missing}

    def absent_inputs(self, mart: str) -> list[str]:
        """Inputs of a mart that are absent or hold no live row."""
        absent = set(self.tables_absent) | set(self.no_live_rows)
        return [t for t in self.mart_inputs.get(mart, ()) if t in absent]

    @property
    def empty_marts(self) -> dict[str, list[str]]:
        """Marts with no row whose inputs are (partly) absent -> those absent inputs."""
        return {
            m: self.absent_inputs(m)
            for m, rows in sorted(self.mart_rows.items())
            if rows == 0 and self.absent_inputs(m)
        }

    @property
    def partial_marts(self) -> dict[str, list[str]]:
        """Marts with rows built without some of their inputs -> those absent inputs."""
        return {
            m: self.absent_inputs(m)
            for m, rows in sorted(self.mart_rows.items())
            if rows > 0 and self.absent_inputs(m)
        }


def staging_models(manifest: dict[str, Any], contract: Contract) -> dict[str, str]:
    """ "system.table" -> the name of the staging model that reads it (one per table)."""
    known = {(t.system, t.name) for t in contract.tables}
    sources = manifest.get("sources", {})
    out = {}
    for node in manifest.get("nodes", {}).values():
        if node.get("resource_type") != "model" or node.get("schema") != "staging":
            continue
        for parent in (node.get("depends_on") or {}).get("nodes", []):
            source = sources.get(parent)
            if source and (source["source_name"], source["name"]) in known:
                out[f"{source['source_name']}.{source['name']}"] = node["name"]
    return out


def _no_live_rows(
    con: Any, raw: RawPresence, staging: dict[str, str]
) -> dict[str, tuple[int, int]]:
    """Present tables with raw rows whose staging model keeps none (all deleted or keyless)."""
    out = {}
    cur = con.cursor()
    try:
        for table, model in staging.items():
            if not raw.exists(f"raw_{table}"):
                continue
            system, name = table.split(".")
            try:
                cur.execute(f'select count(*) from staging."{model}"')
                staged = int(cur.fetchone()[0])
                if staged:
                    continue
                cur.execute(f'select count(*) from raw_{system}."{name}"')
                rows = int(cur.fetchone()[0])
            except Exception:  # a staging view not built yet: nothing to say about it
                continue
            if rows:
                out[table] = (rows, staged)
    finally:
        cur.close()
    return out


def mart_inputs(manifest: dict[str, Any], contract: Contract) -> dict[str, tuple[str, ...]]:
    """Each model of the marts schema -> the contract tables upstream of it (dbt lineage)."""
    nodes = {**manifest.get("nodes", {}), **manifest.get("sources", {})}
    known = {(t.system, t.name) for t in contract.tables}
    memo: dict[str, frozenset[str]] = {}

    def upstream(unique_id: str) -> frozenset[str]:
        if unique_id in memo:
            return memo[unique_id]
        memo[unique_id] = frozenset()  # cycles cannot happen in dbt, but stay safe
        node = nodes.get(unique_id) or {}
        if node.get("resource_type") == "source":
            key = (node.get("source_name"), node.get("name"))
            found = frozenset([f"{key[0]}.{key[1]}"]) if key in known else frozenset()
        else:
            found = frozenset()
            for parent in (node.get("depends_on") or {}).get("nodes", []):
                found |= upstream(parent)
        memo[unique_id] = found
        return found

    order = [t.qualified_name for t in contract.tables]
    out = {}
    for unique_id, node in manifest.get("nodes", {}).items():
        if node.get("resource_type") != "model" or node.get("schema") != MARTS_SCHEMA:
            continue
        inputs = upstream(unique_id)
        out[node["name"]] = tuple(t for t in order if t in inputs)
    return out


def _row_counts(con: Any, marts: Iterable[str]) -> dict[str, int]:
    cur = con.cursor()
    try:
        cur.execute(
            "select table_name from information_schema.tables "
            f"where table_schema = '{MARTS_SCHEMA}'"
        )
        existing = {r[0] for r in cur.fetchall()}
        counts = {}
        for name in marts:
            if name in existing:
                cur.execute(f'select count(*) from {MARTS_SCHEMA}."{name}"')
                counts[name] = int(cur.fetchone()[0])
        return counts
    finally:
        cur.close()


def read_coverage(settings: Settings, manifest_path: Path | None = None) -> Coverage:
    """Coverage of the warehouse of ``settings`` (marts left out when there is no manifest)."""
    contract = load_contract(settings.project_dir)
    manifest_path = manifest_path or target_dir(settings.project_dir) / MANIFEST_NAME
    inputs: dict[str, tuple[str, ...]] = {}
    staging: dict[str, str] = {}
    if manifest_path.is_file():
        manifest = json.loads(manifest_path.read_text())
        inputs = mart_inputs(manifest, contract)
        staging = staging_models(manifest, contract)
    with connect(settings, read_only=settings.target == "duckdb") as con:
        raw = presence(con, contract)
        rows = _row_counts(con, inputs)
        empty = _no_live_rows(con, raw, staging)
    return Coverage(
        contract=contract, raw=raw, mart_inputs=inputs, mart_rows=rows, no_live_rows=empty
    )


def _systems_of(tables: Iterable[str], coverage: Coverage) -> str:
    """ "hubspot (all 13), salesforce.lead" style: whole absent systems named once."""
    tables = list(tables)
    parts = []
    for system, (present, _total) in coverage.systems().items():
        mine = [t for t in tables if t.startswith(system + ".")]
        if not mine:
            continue
        if present == 0:
            parts.append(system)
        else:
            parts.extend(mine)
    return ", ".join(parts)


def _explain(inputs: list[str], coverage: Coverage) -> str:
    """Tables without live rows first (the likelier reason), then the absent ones."""
    dead = [t for t in inputs if t in coverage.no_live_rows]
    absent = [t for t in inputs if t not in coverage.no_live_rows]
    return ", ".join([*dead, *filter(None, [_systems_of(absent, coverage)])])


def describe(coverage: Coverage) -> list[str]:
    """The coverage in plain words, one line per fact (empty when the export is complete)."""
    systems = coverage.systems()
    absent = coverage.tables_absent
    missing = coverage.missing_columns
    dead = coverage.no_live_rows
    if not absent and not missing and not dead:
        return ["data coverage: every table and column of the raw contract is present"]
    present_systems = [f"{s} ({p} of {n} tables)" for s, (p, n) in systems.items() if p]
    absent_systems = [s for s, (p, _) in systems.items() if not p]
    lines = [
        "data coverage (what this export holds of the raw contract):",
        f"  systems present: {', '.join(present_systems) or 'none'}",
        f"  systems absent: {', '.join(absent_systems) or 'none'}",
    ]
    partly = [t for t in absent if systems[t.split(".")[0]][0] > 0]
    if partly:
        lines.append(f"  tables absent from present systems: {', '.join(partly)}")
    for table, columns in missing.items():
        lines.append(f"  {table}: contract columns missing (NULL): {', '.join(columns)}")
    for table, (rows, _) in dead.items():
        lines.append(
            f"  {table}: {rows} rows, none live (all soft-deleted or without their key): "
            "nothing of it reaches the marts"
        )
    empty = coverage.empty_marts
    if empty:
        lines.append("  empty marts (their inputs are absent or hold no live row):")
        for mart, inputs in empty.items():
            lines.append(f"    {mart} (absent or without live rows: {_explain(inputs, coverage)})")
    partial = coverage.partial_marts
    if partial:
        lines.append(
            "  marts built without some inputs (their figures cover what is present): "
            + ", ".join(partial)
        )
    return lines
