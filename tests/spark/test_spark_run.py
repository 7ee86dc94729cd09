"""`revops run --target spark` end to end, and every mart against `revops run` on DuckDB.

Opt-in (``REVOPS_SPARK_RUN=1``, docs/spark.md): the whole pipeline on local Spark (the data
tests, the suites and the report on top of the build) takes 10-15 minutes on the 2-core CI
machine, more than CI's 30-minute budget has left; the parity tests of this folder (one shared
`dbt build`, no data tests) compare every public mart in CI.

The same landing files as the parity tests are run through the product's own command on both
targets, as a user runs it; then the run must have exited 0 with its summary and report, the
report must show the run's checks (read back from Spark's quality.dq_check_results), and each
table of the marts schema is compared with DuckDB's (tests/spark/compare.py, in a process of
its own: one Spark per process and metastore). KNOWN_DIFFERENCES lists the marts that differ
today, with the reason; any other difference fails.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import PROJECT_DIR, run_revops
from tests.spark.conftest import AS_OF, SCALE, SEED, _missing_spark

pytestmark = [
    pytest.mark.spark,
    pytest.mark.slow,
    pytest.mark.skipif(
        not os.environ.get("REVOPS_SPARK_RUN"),
        reason="the whole pipeline on Spark takes 10-15 minutes: REVOPS_SPARK_RUN=1 runs it",
    ),
]

RUN_TIMEOUT = 3 * 3600
# mart -> why it differs from the DuckDB build (docs/spark.md, "Parity"). Empty on purpose:
# fct_attribution's credit (Spark's decimal division loses scale) and the three KPI marts over
# it differ, so this test fails until that is fixed, not listed away.
KNOWN_DIFFERENCES: dict[str, str] = {}


def _env(work: Path, target: str) -> dict[str, str]:
    return {
        "REVOPS_TARGET": target,
        "REVOPS_DUCKDB_PATH": str(work / "warehouse.duckdb"),
        "REVOPS_SPARK_DIR": str(work / "spark"),
        "REVOPS_REPORTS_DIR": str(work / "reports"),
        "DAGSTER_HOME": str(work / "dagster_home"),
    }


def test_revops_run_on_spark_exits_0_and_its_marts_equal_duckdb(tmp_path: Path) -> None:
    reason = _missing_spark()
    if reason:
        pytest.skip(reason)
    landing = tmp_path / "landing"
    gen = run_revops("generate", "--scale", str(SCALE), "--seed", str(SEED), "--out", str(landing))
    assert gen.returncode == 0, gen.stderr[-3000:]
    runs = {}
    for target in ("spark", "duckdb"):
        work = tmp_path / target
        runs[target] = run_revops(
            "run",
            "--landing",
            str(landing),
            "--as-of",
            AS_OF,
            env=_env(work, target),
            timeout=RUN_TIMEOUT,
        )
        run = runs[target]
        assert run.returncode == 0, (target, run.stdout[-4000:], run.stderr[-4000:])
        assert "rows per mart:" in run.stdout and "checks:" in run.stdout, run.stdout[-3000:]
        assert "(could not read" not in run.stdout, run.stdout[-3000:]
        assert f"report: {work / 'reports' / 'weekly_report.html'}" in run.stdout

    spark = tmp_path / "spark"
    run_id = re.search(r"run-([0-9a-f-]{36})\.log", runs["spark"].stdout)
    assert run_id, runs["spark"].stdout[-2000:]
    report = (spark / "reports" / "weekly_report.md").read_text()
    assert "Spark" in report
    # the quality section reads the latest run of quality.dq_check_results on Spark
    assert f"Run {run_id.group(1)}" in report, report[-3000:]

    compared = subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.spark.compare",
            str(tmp_path / "duckdb" / "warehouse.duckdb"),
            str(spark / "spark"),
        ],
        capture_output=True,
        text=True,
        cwd=PROJECT_DIR,
        timeout=1800,
    )
    lines = [line for line in compared.stdout.splitlines() if ": " in line]
    assert lines, (compared.stdout[-3000:], compared.stderr[-3000:])
    differing = {
        table: line
        for line in lines
        for table, verdict in [line.split(": ", 1)]
        if not verdict.startswith("equal")
    }
    assert set(differing) == set(KNOWN_DIFFERENCES), "\n".join(differing.values())
