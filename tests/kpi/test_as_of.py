"""dbt's as_of when dbt is run directly without it: the documented default, the latest load of
the raw data, and dbt says so (on-run-start). With the var: tests/companies/test_real_world.py
(the as_of given with an offset).
"""

from __future__ import annotations

import csv
import json
from datetime import datetime
from pathlib import Path

from orchestration.run_settings import resolve_as_of
from tests.dbt_cli import run_dbt
from tests.kpi.conftest import KpiWarehouse

SYNCED = "_fivetran_synced"


def _latest_sync(landing: Path) -> datetime:
    """The largest _fivetran_synced the simulator wrote into the landing files."""
    values: list[str] = []
    for path in sorted(landing.glob("*/*.csv")):
        with path.open(newline="") as fh:
            values += [row.get(SYNCED) or "" for row in csv.DictReader(fh)]
    for path in sorted(landing.glob("*/*.jsonl")):
        values += [json.loads(line).get(SYNCED) or "" for line in path.open() if line.strip()]
    return max(resolve_as_of(v) for v in values if v)


def _notice(kpi_warehouse: KpiWarehouse, work: Path) -> str:
    env = {
        "REVOPS_TARGET": "duckdb",
        "REVOPS_DUCKDB_PATH": str(kpi_warehouse.db_path),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    return run_dbt(["run-operation", "revops_as_of_notice"], env, work).stdout


def test_a_plain_dbt_run_says_it_uses_the_latest_load_as_as_of(
    kpi_warehouse: KpiWarehouse, tmp_path: Path
) -> None:
    """(One dbt process, about 15 s: a run without vars re-parses the whole project.)"""
    latest = _latest_sync(kpi_warehouse.work / "landing")
    assert latest <= resolve_as_of(kpi_warehouse.truth["as_of"])  # nothing synced after as_of
    out = _notice(kpi_warehouse, tmp_path)
    said = f"as_of = {latest:%Y-%m-%d %H:%M:%S} UTC (default: the latest loaded_at_field"
    assert said in out, out[-2000:]
    assert "as_of not given: pass it with --vars" in out
