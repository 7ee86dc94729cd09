"""A run whose process died never blocks the next one (its pool slots are freed)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from dagster import DagsterInstance, DagsterRunStatus
from dagster._core.test_utils import create_run_for_test, instance_for_test

from orchestration.pools import WRITER_POOL
from orchestration.recovery import HOST_TAG, PID_TAG, cli_run_tags, release_dead_runs
from tests.conftest import PROJECT_DIR
from tests.ops.demo_build import DemoBuild
from tests.parse_once import linked_env

pytestmark = pytest.mark.reliability  # a case of issue 20's campaign (docs/reliability.md)


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def started_run(instance: DagsterInstance, pid: int) -> str:
    tags = {**cli_run_tags(), PID_TAG: str(pid)}
    run = create_run_for_test(instance, job_name="full_pipeline", tags=tags)
    instance.run_storage.handle_run_event(run.run_id, _started_event())
    instance.event_log_storage.claim_concurrency_slot(WRITER_POOL, run.run_id, "revops_dbt_core")
    return run.run_id


def _started_event():
    from dagster._core.events import DagsterEvent, DagsterEventType

    return DagsterEvent(DagsterEventType.RUN_START.value, job_name="full_pipeline")


def slots_claimed(instance: DagsterInstance) -> int:
    return len(instance.event_log_storage.get_concurrency_info(WRITER_POOL).claimed_slots)


def test_a_dead_runs_slots_are_freed_and_a_live_run_is_left_alone(tmp_path: Path) -> None:
    with instance_for_test(temp_dir=str(tmp_path)) as instance:
        instance.event_log_storage.set_concurrency_slots(WRITER_POOL, 2)
        dead = started_run(instance, dead_pid())
        alive = started_run(instance, os.getppid())  # pytest's parent: alive, not this process
        assert slots_claimed(instance) == 2

        assert release_dead_runs(instance) == [dead]
        assert instance.get_run_by_id(dead).status == DagsterRunStatus.FAILURE
        assert instance.get_run_by_id(alive).status == DagsterRunStatus.STARTED
        assert slots_claimed(instance) == 1
        assert release_dead_runs(instance) == []  # nothing twice


def test_cli_runs_are_listed_on_their_jobs_page_in_the_ui() -> None:
    """The UI lists a job's runs by the repository label of the location serving it: the label
    the CLI stamps names the location that pyproject.toml gives `make ui`."""
    import tomllib

    from dagster._core.definitions.repository_definition.valid_definitions import (
        SINGLETON_REPOSITORY_NAME,
    )
    from dagster._core.storage.tags import REPOSITORY_LABEL_TAG as DAGSTER_TAG

    location = tomllib.loads((PROJECT_DIR / "pyproject.toml").read_text())["tool"]["dagster"]
    tags = cli_run_tags()
    assert DAGSTER_TAG in tags
    assert tags[DAGSTER_TAG] == f"{SINGLETON_REPOSITORY_NAME}@{location['code_location_name']}"


def test_runs_of_another_host_are_not_touched(tmp_path: Path) -> None:
    with instance_for_test(temp_dir=str(tmp_path)) as instance:
        instance.event_log_storage.set_concurrency_slots(WRITER_POOL, 1)
        run = create_run_for_test(
            instance,
            job_name="full_pipeline",
            tags={PID_TAG: str(dead_pid()), HOST_TAG: "another-host.example"},
        )
        instance.run_storage.handle_run_event(run.run_id, _started_event())
        assert release_dead_runs(instance) == []
        assert instance.get_run_by_id(run.run_id).status == DagsterRunStatus.STARTED


@pytest.mark.slow
def test_a_run_killed_inside_dbt_does_not_block_the_next_run(
    tmp_path: Path, demo_build: DemoBuild
) -> None:
    """Kill -9 a `revops run` inside dbt, run again: the run is not blocked, it succeeds, and
    its marts equal the session's clean build of the same company table for table. (A process
    gone at any other point leaves the same state behind: a started run whose process id is
    dead; the tests above free it without a real run.)"""
    demo_landing = demo_build.settings.landing_dir
    truth = json.loads((demo_landing / "ground_truth.json").read_text())
    env = linked_env(  # the worker's link (tests/parse_once.py): no parse of its own
        {
            **os.environ,
            "REVOPS_DUCKDB_PATH": str(tmp_path / "warehouse.duckdb"),
            "DAGSTER_HOME": str(tmp_path / "dagster_home"),
            "REVOPS_REPORTS_DIR": str(tmp_path / "reports"),
        }
    )
    cmd = [
        str(Path(sys.executable).with_name("revops")),
        "run",
        "--landing",
        str(demo_landing),
        "--as-of",
        truth["as_of"],
    ]
    _start_and_kill(cmd, env, 'Started execution of step "revops_dbt_core"', after=3)

    second = subprocess.run(
        cmd, cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=600
    )
    assert second.returncode == 0, (second.stdout + second.stderr)[-4000:]
    assert "was left in progress by a process that is gone" in second.stdout
    assert "SUCCESS" in second.stdout
    compared = _differing_marts(tmp_path / "warehouse.duckdb", demo_build.settings.duckdb_path)
    assert compared["differ"] == {}, compared["differ"]
    assert compared["tables"] >= 20


def _differing_marts(rerun: Path, clean: Path) -> dict:
    """Every table of the clean build's marts schema against the rerun's, per table: rows of
    the non-floating-point columns in one and not the other (EXCEPT ALL both ways), and
    floating-point values that differ by more than 1e-9 relative, matched on the first
    column (the primary key). DuckDB sums doubles in parallel, so two clean builds can differ
    in the last bit."""
    con = duckdb.connect()
    try:
        con.execute(f"attach '{rerun}' as rerun (read_only)")
        con.execute(f"attach '{clean}' as clean (read_only)")
        tables = [
            t
            for (t,) in con.execute(
                "select table_name from information_schema.tables where table_catalog = 'clean' "
                "and table_schema = 'marts' and table_type = 'BASE TABLE' order by 1"
            ).fetchall()
        ]
        differ = {}
        for table in tables:
            columns = con.execute(
                "select column_name, data_type from information_schema.columns "
                "where table_catalog = 'clean' and table_schema = 'marts' and table_name = ? "
                "order by ordinal_position",
                [table],
            ).fetchall()
            floats = [c for c, t in columns if t in ("DOUBLE", "FLOAT", "REAL")]
            exact = ", ".join(f'"{c}"' for c, _ in columns if c not in floats)
            a = f"select {exact} from rerun.marts.{table}"
            b = f"select {exact} from clean.marts.{table}"
            extra = con.execute(f"select count(*) from ({a} except all {b})").fetchone()[0]
            lost = con.execute(f"select count(*) from ({b} except all {a})").fetchone()[0]
            key = columns[0][0]
            off = 0
            if floats and key not in floats:
                far = " or ".join(
                    f'(a."{c}" is null) != (b."{c}" is null) or abs(a."{c}" - b."{c}") > '
                    f'1e-9 * greatest(1, abs(b."{c}"))'
                    for c in floats
                )
                off = con.execute(
                    f"select count(*) from rerun.marts.{table} a join clean.marts.{table} b "
                    f'on a."{key}" = b."{key}" where {far}'
                ).fetchone()[0]
            if extra or lost or off:
                differ[table] = (extra, lost, off)
        return {"tables": len(tables), "differ": differ}
    finally:
        con.close()


def _start_and_kill(cmd: list[str], env: dict[str, str], marker: str, after: float) -> None:
    """Start a run, wait for ``marker`` in its log, then kill -9 its process group."""
    run = subprocess.Popen(
        cmd,
        cwd=PROJECT_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    assert run.stdout is not None
    log = Path(next(line for line in run.stdout if line.startswith("full log:")).split()[-1])
    deadline = time.monotonic() + 300
    while marker not in _read(log):
        assert time.monotonic() < deadline and run.poll() is None, _read(log)[-3000:]
        time.sleep(0.5)
    time.sleep(after)
    os.killpg(run.pid, signal.SIGKILL)
    run.wait()


def _read(path: Path) -> str:
    return path.read_text(errors="replace") if path.exists() else ""
