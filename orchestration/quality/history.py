"""quality.dq_check_results: every check of every run, so BI tools chart quality over time.

The same write also replaces the rules' offending rows (quality.dq_offending_rows,
orchestration/quality/offending.py), so the verdicts and the rows behind them always agree.

Declared to dbt as the source revops_quality.dq_check_results (models/quality/
_quality__sources.yml, the same columns), which kpi_weekly_scorecard reads. It is created here
(portable DDL, DuckDB and PostgreSQL; Parquet on Spark, orchestration/quality/spark_history.py)
when missing; the columns are a contract for dashboards.
Rows are appended in one short write connection: DuckDB allows one writer, so a locked file is
retried briefly and then reported with the table's name.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from orchestration.quality.result import CheckResult
from orchestration.settings import Settings
from orchestration.warehouse import WarehouseLockedError, connect

#: SCHEMA and TABLE are also the source revops_quality.dq_check_results of dbt
#: (models/quality/_quality__sources.yml; tests/quality/test_config.py keeps them equal)
SCHEMA = "quality"
TABLE = "dq_check_results"
COLUMNS = (
    "run_id",
    "checked_at",
    "rule",
    "severity",
    "success",
    "observed_value",
    "threshold",
    "unexpected_count",
    "data_as_of",
    "status",
)
DDL = f"""
create table if not exists {SCHEMA}.{TABLE} (
    run_id varchar(64) not null,
    checked_at timestamp not null,
    rule varchar(200) not null,
    severity varchar(10) not null,
    success boolean not null,
    observed_value bigint,
    threshold bigint not null,
    unexpected_count bigint,
    data_as_of timestamp,
    status varchar(10)
)
"""
# tables created before data_as_of (status) existed get it on their next append
MIGRATIONS = (
    f"alter table {SCHEMA}.{TABLE} add column if not exists data_as_of timestamp",
    f"alter table {SCHEMA}.{TABLE} add column if not exists status varchar(10)",
)


class HistoryWriteError(RuntimeError):
    """The results could not be appended to the check history table."""


def rows(
    run_id: str,
    checked_at: datetime,
    results: Sequence[CheckResult],
    data_as_of: datetime | None = None,
) -> list[tuple[Any, ...]]:
    """One row per result, in COLUMNS order. ``data_as_of`` is the as_of the checks evaluated
    (the data's "now"), ``checked_at`` the wall-clock time of the run."""
    return [
        (
            run_id,
            checked_at,
            r.rule,
            r.severity,
            bool(r.success),
            r.observed_value,
            r.threshold,
            r.unexpected_count,
            data_as_of,
            r.status,
        )
        for r in results
    ]


def append(
    settings: Settings,
    run_id: str,
    checked_at: datetime,
    results: Sequence[CheckResult],
    attempts: int = 6,
    delay: float = 2.0,
    data_as_of: datetime | None = None,
) -> int:
    """Append the results (creating schema and table if missing) and replace the offending rows
    of the rules among them; the number of history rows written."""
    from orchestration.quality.offending import replace_rows

    data = rows(run_id, checked_at, results, data_as_of)
    if settings.target == "spark":
        return _append_spark(settings, run_id, checked_at, results, data, data_as_of)
    marker = "?" if settings.target == "duckdb" else "%s"
    insert = (
        f"insert into {SCHEMA}.{TABLE} ({', '.join(COLUMNS)}) "
        f"values ({', '.join([marker] * len(COLUMNS))})"
    )
    for attempt in range(1, attempts + 1):
        try:
            with connect(settings, read_only=False) as con:
                cur = con.cursor()
                cur.execute(f"create schema if not exists {SCHEMA}")
                cur.execute(DDL)
                for statement in MIGRATIONS:
                    cur.execute(statement)
                if data:
                    cur.executemany(insert, data)
                replace_rows(
                    con,
                    settings.target,
                    run_id,
                    checked_at,
                    data_as_of,
                    {r.rule: r.offending_rows for r in results if r.kind == "rule"},
                )
                if settings.target != "duckdb" and not getattr(con, "autocommit", True):
                    con.commit()
            return len(data)
        except WarehouseLockedError as exc:
            if attempt == attempts:
                raise HistoryWriteError(f"cannot append to {SCHEMA}.{TABLE}: {exc}") from exc
            time.sleep(delay)
        except Exception as exc:
            raise HistoryWriteError(f"cannot append to {SCHEMA}.{TABLE}: {exc}") from exc
    return 0


def _append_spark(
    settings: Settings,
    run_id: str,
    checked_at: datetime,
    results: Sequence[CheckResult],
    data: list[tuple[Any, ...]],
    data_as_of: datetime | None,
) -> int:
    """Spark: no DELETE, no ``add column if not exists`` on Parquet (quality/spark_history.py)."""
    from orchestration.quality import spark_history
    from orchestration.quality.offending import row_tuples
    from orchestration.spark import session

    by_rule = {r.rule: r.offending_rows for r in results if r.kind == "rule"}
    try:
        spark_history.write(
            session(settings),
            data,
            row_tuples(run_id, checked_at, data_as_of, by_rule),
            list(by_rule),
        )
    except Exception as exc:
        raise HistoryWriteError(f"cannot append to {SCHEMA}.{TABLE}: {exc}") from exc
    return len(data)
