"""quality.dq_offending_rows: every offending row of every rule, from its latest check, masked.

A rule's view (quality.rule_<rule>) answers with the warehouse as it is now; this table keeps
what the check judged: the full set of rows of the rule's latest run, with the run id, the
check time and the as_of, each row as JSON text of its keys and masked values
(orchestration/quality/masking.py: no raw email, name or phone). When a rule is checked again
its rows are replaced, so the table stays the size of the current findings; the verdicts of
every run stay in quality.dq_check_results. ``revops check --rows RULE`` and the check pages
(``revops serve``) read it.

One table for all rules, rows as JSON: the rules' columns differ, and one portable table works
the same on DuckDB and PostgreSQL.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from orchestration.quality.history import SCHEMA
from orchestration.settings import Settings
from orchestration.warehouse import connect

TABLE = "dq_offending_rows"
COLUMNS = ("run_id", "checked_at", "data_as_of", "rule", "row_number", "row_values")
DDL = f"""
create table if not exists {SCHEMA}.{TABLE} (
    run_id varchar(64) not null,
    checked_at timestamp not null,
    data_as_of timestamp,
    rule varchar(200) not null,
    row_number bigint not null,
    row_values text not null
)
"""


@dataclass(frozen=True)
class StoredRows:
    """A rule's offending rows as its latest check kept them (``rows``: the first ``limit``)."""

    rule: str
    total: int
    rows: list[dict[str, Any]]
    run_id: str | None = None
    checked_at: datetime | None = None
    data_as_of: datetime | None = None


def _json(row: Mapping[str, Any]) -> str:
    return json.dumps(row, default=str, ensure_ascii=False)


def row_tuples(
    run_id: str,
    checked_at: datetime,
    data_as_of: datetime | None,
    rows_by_rule: Mapping[str, Sequence[Mapping[str, Any]]],
) -> list[tuple[Any, ...]]:
    """The table's rows (COLUMNS order): each rule's rows numbered from 1, as JSON text."""
    return [
        (run_id, checked_at, data_as_of, rule, number, _json(row))
        for rule, rows in rows_by_rule.items()
        for number, row in enumerate(rows, start=1)
    ]


def replace_rows(
    con: Any,
    target: str,
    run_id: str,
    checked_at: datetime,
    data_as_of: datetime | None,
    rows_by_rule: Mapping[str, Sequence[Mapping[str, Any]]],
) -> int:
    """Replace the stored rows of each rule in ``rows_by_rule`` (masked rows) with these.

    A rule checked with no offending rows (or not applicable) is in the mapping with no rows:
    its older rows are deleted, so the table never shows a finding its latest check did not
    make. Runs on an open write connection (the caller's transaction); the rows written.
    """
    # DuckDB: one connection object (a DuckDB cursor is a connection of its own)
    cur = con if target == "duckdb" else con.cursor()
    cur.execute(f"create schema if not exists {SCHEMA}")
    cur.execute(DDL)
    marker = "?" if target == "duckdb" else "%s"
    rules = list(rows_by_rule)
    data = row_tuples(run_id, checked_at, data_as_of, rows_by_rule)
    if not rules:
        return 0
    cur.execute("begin")  # a reader sees the old rows or the new ones, never none
    try:
        cur.execute(
            f"delete from {SCHEMA}.{TABLE} where rule in ({', '.join([marker] * len(rules))})",
            rules,
        )
        if data and target == "duckdb":
            import pandas as pd

            frame = pd.DataFrame.from_records(data, columns=list(COLUMNS))
            con.register("revops_offending_rows", frame)
            con.execute(
                f"insert into {SCHEMA}.{TABLE} ({', '.join(COLUMNS)}) "
                f"select {', '.join(COLUMNS)} from revops_offending_rows"
            )
            con.unregister("revops_offending_rows")
        elif data:
            from psycopg2.extras import execute_values

            execute_values(
                cur, f"insert into {SCHEMA}.{TABLE} ({', '.join(COLUMNS)}) values %s", data
            )
        cur.execute("commit")
    except Exception:
        cur.execute("rollback")
        raise
    return len(data)


def table_exists(con: Any) -> bool:
    cur = con.cursor()
    cur.execute(
        "select count(*) from information_schema.tables "
        f"where table_schema = '{SCHEMA}' and table_name = '{TABLE}'"
    )
    return bool(cur.fetchone()[0])


def read_rows(settings: Settings, rule: str, limit: int | None) -> StoredRows:
    """The stored rows of one rule (all when ``limit`` is None), in the order they were found."""
    marker = "?" if settings.target == "duckdb" else "%s"
    with connect(settings, read_only=settings.target == "duckdb") as con:
        if not table_exists(con):
            return StoredRows(rule, 0, [])
        cur = con.cursor()
        cur.execute(
            f"select count(*), max(run_id), max(checked_at), max(data_as_of) "
            f"from {SCHEMA}.{TABLE} where rule = {marker}",
            (rule,),
        )
        total, run_id, checked_at, as_of = cur.fetchone()
        sql = f"select row_values from {SCHEMA}.{TABLE} where rule = {marker} order by row_number"
        params: tuple[Any, ...] = (rule,)
        if limit is not None:
            sql += f" limit {marker}"
            params = (rule, limit)
        cur.execute(sql, params)
        rows = [json.loads(r[0]) for r in cur.fetchall()]
    return StoredRows(rule, int(total or 0), rows, run_id, checked_at, as_of)
