"""The check history and the offending rows written on Spark (orchestration/quality/spark_history).

The checks' write (history.append) on target spark: verdicts appended run after run, a
history table of an older shape gets its missing columns, each rule keeps only the rows of its
latest check (other rules' rows untouched, a rule with no rows any more has none), and
`revops check --rows` reads them back. On the demo's metastore (the session fixture): no
Spark of its own, seconds of CI.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from orchestration.quality import history, offending
from orchestration.quality.result import CheckResult
from tests.spark.conftest import SparkDemo

pytestmark = [pytest.mark.spark, pytest.mark.slow]

AS_OF = datetime(2026, 1, 1)


def _rule(name: str, rows: list[dict[str, Any]]) -> CheckResult:
    return CheckResult(
        rule=name,
        severity="warn",
        success=not rows,
        observed_value=len(rows),
        threshold=0,
        unexpected_count=len(rows),
        offending_rows=rows,
    )


def test_history_appends_and_offending_rows_are_replaced(
    spark_demo: SparkDemo, spark_session: Any
) -> None:
    settings = spark_demo.spark_settings()
    results_table = f"{history.SCHEMA}.{history.TABLE}"
    spark_session.sql(f"create schema if not exists {history.SCHEMA}")
    spark_session.sql(f"drop table if exists {results_table}")
    spark_session.sql(f"drop table if exists {history.SCHEMA}.{offending.TABLE}")
    # a history table from before data_as_of and status existed
    spark_session.sql(
        f"create table {results_table} (run_id string, checked_at timestamp, rule string, "
        "severity string, success boolean, observed_value bigint, threshold bigint, "
        "unexpected_count bigint) using parquet"
    )
    first = [_rule("a", [{"k": 1}, {"k": 2}]), _rule("b", [{"k": 3}]), _rule("c", [{"k": 4}])]
    second = [_rule("a", [{"k": 5}]), _rule("b", [])]
    assert history.append(settings, "run1", datetime(2026, 1, 2, 8), first, data_as_of=AS_OF) == 3
    assert history.append(settings, "run2", datetime(2026, 1, 3, 8), second, data_as_of=AS_OF) == 2

    stored = spark_session.table(results_table)
    assert set(history.COLUMNS) <= set(stored.columns)
    verdicts = sorted(
        (r.run_id, r.rule, r.status, r.data_as_of, r.checked_at) for r in stored.collect()
    )
    assert verdicts == [
        ("run1", "a", "WARN", AS_OF, datetime(2026, 1, 2, 8)),
        ("run1", "b", "WARN", AS_OF, datetime(2026, 1, 2, 8)),
        ("run1", "c", "WARN", AS_OF, datetime(2026, 1, 2, 8)),
        ("run2", "a", "WARN", AS_OF, datetime(2026, 1, 3, 8)),
        ("run2", "b", "PASS", AS_OF, datetime(2026, 1, 3, 8)),
    ]
    rows = spark_session.table(f"{history.SCHEMA}.{offending.TABLE}").collect()
    assert sorted((r.run_id, r.rule, r.row_number, r.row_values) for r in rows) == [
        ("run1", "c", 1, '{"k": 4}'),  # not checked again: its rows stay
        ("run2", "a", 1, '{"k": 5}'),  # checked again: only the latest rows
    ]
    read = offending.read_rows(settings, "a", None)
    assert (read.total, read.rows, read.run_id) == (1, [{"k": 5}], "run2")
    assert offending.read_rows(settings, "b", None).total == 0
