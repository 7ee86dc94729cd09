"""Fixtures for the KPI marts: a demo company generated, loaded and built once per session.

The simulator writes the landing files and ground_truth.json (scale 0.05, seed 1), the
product loader (orchestration.ingest.load_landing) fills a DuckDB file of this session, and
`dbt build` runs as a subprocess with its own target and log paths and as_of = the truth's
as_of, so results are reproducible and other sessions' target/ stays untouched. MetricFlow
(`mf`) reads target/semantic_manifest.json from a project root: it runs in a minimal root
(dbt_project.yml, profiles.yml and this session's semantic manifest) made for the session.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.dbt_cli import run_dbt as _dbt
from tests.warehouse import ReadOnlyQueries

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
SCALE = 0.05
SEED = 1


def _tail(text: str, lines: int = 60) -> str:
    return "\n".join(text.splitlines()[-lines:])


@dataclass
class KpiWarehouse(ReadOnlyQueries):
    """The generated truth, the DuckDB warehouse built from it, and a MetricFlow runner."""

    work: Path
    truth: dict[str, Any]
    db_path: Path
    as_of: str
    mf_root: Path

    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "REVOPS_TARGET": "duckdb",
            "REVOPS_DUCKDB_PATH": str(self.db_path),
            "DBT_PROFILES_DIR": str(self.mf_root),
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        }

    def mf(
        self,
        metrics: list[str] | None = None,
        group_by: list[str] | None = None,
        saved_query: str | None = None,
    ) -> list[dict[str, str]]:
        """Rows of `mf query ... --csv` as dicts of strings (empty string = null)."""
        out = self.work / f"mf_{len(list(self.work.glob('mf_*.csv')))}.csv"
        cmd = [str(BIN / "mf"), "query", "--csv", str(out)]
        if saved_query:
            cmd += ["--saved-query", saved_query]
        if metrics:
            cmd += ["--metrics", ",".join(metrics)]
        if group_by:
            cmd += ["--group-by", ",".join(group_by)]
        result = subprocess.run(
            cmd, cwd=self.mf_root, env=self.env(), capture_output=True, text=True, timeout=600
        )
        if result.returncode != 0 or not out.exists():
            raise AssertionError(
                f"{' '.join(cmd[1:])} failed ({result.returncode}):\n"
                f"{_tail(result.stdout)}\n{_tail(result.stderr)}"
            )
        with out.open(newline="") as fh:
            return list(csv.DictReader(fh))


@pytest.fixture(scope="session")
def kpi_warehouse(tmp_path_factory: pytest.TempPathFactory) -> KpiWarehouse:
    simulator = pytest.importorskip("simulator")
    ingest = pytest.importorskip("orchestration.ingest")
    settings_module = pytest.importorskip("orchestration.settings")

    work = tmp_path_factory.mktemp("kpi")
    landing = work / "landing"
    truth = simulator.generate(landing, scale=SCALE, seed=SEED)
    if not truth:
        truth = json.loads((landing / "ground_truth.json").read_text())
    # '2026-01-01T00:00:00Z' -> '2026-01-01 00:00:00': naive UTC, as the marts store time.
    as_of = truth["as_of"].replace("T", " ").rstrip("Z")
    db_path = work / "warehouse.duckdb"
    env = {
        "REVOPS_TARGET": "duckdb",
        "REVOPS_DUCKDB_PATH": str(db_path),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    settings = settings_module.Settings.from_env({**env, "REVOPS_PROJECT_DIR": str(REPO)})
    ingest.load_landing(settings, landing)
    # models, seeds and snapshots: the project's data and unit tests run on this company's
    # PostgreSQL build (pg_build.py) and in every `revops run` of the suite
    _dbt(["build", "--exclude-resource-type", "test", "unit_test"], env, work, as_of=as_of)

    mf_root = work / "mf_root"
    (mf_root / "target").mkdir(parents=True)
    for name in ("dbt_project.yml", "profiles.yml"):
        shutil.copy(REPO / name, mf_root / name)
    shutil.copy(work / "target" / "semantic_manifest.json", mf_root / "target")
    return KpiWarehouse(work=work, truth=truth, db_path=db_path, as_of=as_of, mf_root=mf_root)


# The PostgreSQL build of the same company, one per session (parity and BI access tests).
from tests.kpi.pg_build import kpi_pg_built, kpi_pg_database  # noqa: E402, F401
