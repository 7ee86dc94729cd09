"""Rendering of the rule SQL files: a few named placeholders, nothing else.

Rule files are plain portable SQL (DuckDB and PostgreSQL) with ``{{ name }}`` placeholders for
values known only at run time: ``as_of`` (a timestamp expression), ``as_of_date`` and any option
of the rule in checks.yml (``{{ allowed_age_hours.salesforce.account }}``). An unknown
placeholder is an error naming the rule, so a typo never turns into a silently passing check.

Relations that may legitimately be absent (``raw_quarantine.rejected_rows`` exists only once a
row was quarantined) are listed under the rule's ``optional_relations`` with the columns the SQL
uses: ``{{ optional.<schema>.<table> }}`` renders as the table when it exists, else as an empty
derived table with those columns; ``{{ exists.<schema>.<table> }}`` renders true or false.
Every raw contract table has an ``exists`` placeholder, and its name in the SQL stands for the
table completed with the contract's columns (orchestration/quality/relations.py), so a part of a
rule that needs a table can be guarded with ``where {{ exists.raw_salesforce.account }}``.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from orchestration.ingest.contract import Contract, load_contract
from orchestration.quality.config import CheckConfig
from orchestration.quality.relations import (
    RawPresence,
    complete_raw_references,
    exists_parameters,
)
from orchestration.settings import PROJECT_DIR

PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_.]*)\s*\}\}")


class RuleSqlError(ValueError):
    """A rule's SQL file cannot be rendered."""


def _flatten(prefix: str, value: Any, out: dict[str, Any]) -> None:
    if isinstance(value, dict):
        for k, v in value.items():
            _flatten(f"{prefix}.{k}" if prefix else str(k), v, out)
    else:
        out[prefix] = value


def _literal(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    return "'" + str(value).replace("'", "''") + "'"


OPTIONAL = "optional_relations"


def optional_relations(check: CheckConfig) -> dict[str, list[str]]:
    """schema.table -> columns of the relations a rule may find missing."""
    raw = check.options.get(OPTIONAL) or {}
    if not isinstance(raw, dict) or not all(
        isinstance(k, str) and k.count(".") == 1 and isinstance(v, list) and v
        for k, v in raw.items()
    ):
        raise RuleSqlError(
            f"rule {check.name}: {OPTIONAL} must map schema.table to a list of its columns"
        )
    return {k: [str(c) for c in v] for k, v in raw.items()}


def _empty_relation(columns: list[str]) -> str:
    cols = ", ".join(f"cast(null as varchar(1)) as {c}" for c in columns)
    return f"(select {cols} where 1 = 0)"


def parameters(
    check: CheckConfig,
    as_of: datetime,
    existing: set[str] | None = None,
    raw: tuple[Contract, RawPresence] | None = None,
) -> dict[str, str]:
    """The SQL text of every placeholder a rule may use.

    ``existing``: the optional relations that exist in the warehouse (all of them when None).
    ``raw``: the contract and what the warehouse holds of it (every raw table complete when
    None).
    """
    params: dict[str, str] = {
        "as_of": f"cast('{as_of.isoformat(sep=' ')}' as timestamp)",
        "as_of_date": f"cast('{as_of.date().isoformat()}' as date)",
    }
    flat: dict[str, Any] = {}
    _flatten("", {k: v for k, v in check.options.items() if k != OPTIONAL}, flat)
    params.update({k: _literal(v) for k, v in flat.items()})
    if raw is None:
        contract = load_contract(PROJECT_DIR)
        raw = (contract, RawPresence.complete(contract))
    params.update(exists_parameters(*raw))
    for relation, columns in optional_relations(check).items():
        present = existing is None or relation in existing
        params[f"optional.{relation}"] = relation if present else _empty_relation(columns)
        params[f"exists.{relation}"] = "true" if present else "false"
    return params


def render(
    check: CheckConfig,
    as_of: datetime,
    existing: set[str] | None = None,
    raw: tuple[Contract, RawPresence] | None = None,
) -> str:
    """The SQL of a rule with its placeholders filled in and its raw tables completed."""
    try:
        text = check.sql_path.read_text()
    except OSError as exc:
        raise RuleSqlError(f"rule {check.name}: cannot read {check.sql_path}: {exc}") from exc
    params = parameters(check, as_of, existing, raw)

    def substitute(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in params:
            raise RuleSqlError(
                f"rule {check.name}: unknown placeholder {{{{ {name} }}}} in {check.sql_path.name}"
                f" (known: {', '.join(sorted(params))})"
            )
        return params[name]

    sql = PLACEHOLDER.sub(substitute, text).strip().rstrip(";")
    if raw is not None:
        sql = complete_raw_references(sql, *raw)
    return sql
