"""Conformance with the connectors' own test data: Fivetran's integration-test seeds.

Runs only where the seeds were laid out as a landing folder and REVOPS_FIVETRAN_SEEDS points at
it (README, "Bringing your own data"); they are public but not part of this repository. The
run must end with every mart built, and the summary must say which tables were absent and
which present tables hold no live row.
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pytest

from tests.conftest import run_pipeline

pytestmark = pytest.mark.slow

SEEDS = os.environ.get("REVOPS_FIVETRAN_SEEDS", "")


@pytest.mark.skipif(not SEEDS, reason="REVOPS_FIVETRAN_SEEDS is not set (see the README recipe)")
def test_fivetran_seeds_run_to_the_end(tmp_path: Path) -> None:
    landing = Path(SEEDS)
    assert (landing / "salesforce").is_dir() and (landing / "hubspot").is_dir()
    db = tmp_path / "warehouse.duckdb"
    result = run_pipeline(landing, tmp_path, env={"REVOPS_DUCKDB_PATH": str(db)}, timeout=1200)
    out = result.stdout
    assert result.returncode == 0, out[-4000:] + result.stderr[-4000:]
    assert "SUCCESS" in out and "data coverage" in out
    con = duckdb.connect(str(db), read_only=True)
    try:
        marts = {
            r[0]
            for r in con.execute(
                "select table_name from information_schema.tables where table_schema = 'marts'"
            ).fetchall()
        }
        assert {"fct_opportunities", "dim_person", "kpi_weekly_scorecard"} <= marts
        # every loaded table has rows, and one whose rows are all soft-deleted is named
        for system in ("salesforce", "hubspot"):
            for path in sorted((landing / system).glob("*.csv")):
                table = f'raw_{system}."{path.stem}"'
                rows = con.execute(f"select count(*) from {table}").fetchone()[0]
                assert rows > 0, f"{system}.{path.stem} loaded no row"
                columns = {c[0] for c in con.execute(f"describe {table}").fetchall()}
                flag = next((c for c in ("is_deleted", "_fivetran_deleted") if c in columns), None)
                if flag is None:
                    continue
                # a table outside the contract keeps its CSV text ('FALSE'): as text
                live = con.execute(
                    f"select count(*) from {table} where coalesce(lower(cast({flag} as "
                    "varchar)), 'false') not in ('true', 't', '1')"
                ).fetchone()[0]
                if live == 0:
                    assert f"{system}.{path.stem}: {rows} rows, none live" in out
    finally:
        con.close()
    for absent in ("systems absent: ads, web",):
        assert absent in out
