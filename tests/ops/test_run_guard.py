"""A run waiting for the `duckdb_writer` slot says for what, sleeps instead of spinning, gives up
after a bound, and stops on SIGTERM (canceled, its claims freed), without a pipeline: a one-step
job in the pool, with another run holding the slot (tests/ops/pool_wait_probe.py)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from dagster import DagsterInstance, DagsterRunStatus

from orchestration.pools import WRITER_POOL
from orchestration.run_guard import pool_wait_seconds_from_env
from orchestration.settings import PROJECT_DIR
from tests.ops.pool_wait_probe import HOLDER_RUN, HOLDER_STEP

pytestmark = pytest.mark.reliability

WAITS = f"waits for the slot of pool {WRITER_POOL}, held by run {HOLDER_RUN} (step {HOLDER_STEP})"


def _probe(home: Path, bound: float) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.ops.pool_wait_probe", str(home), str(bound)],
        cwd=PROJECT_DIR,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )


def _after(home: Path, run_id: str) -> tuple[DagsterRunStatus, list[str]]:
    """The run's status, and which runs still hold or wait for a slot of the pool."""
    with DagsterInstance.from_config(str(home)) as instance:
        run = instance.get_run_by_id(run_id)
        assert run is not None
        info = instance.event_log_storage.get_concurrency_info(WRITER_POOL)
        users = [s.run_id for s in info.claimed_slots] + [s.run_id for s in info.pending_steps]
        return run.status, users


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _run_id(output: str) -> str:
    return next(line for line in output.splitlines() if line.startswith("run_id="))[7:]


def test_a_waiting_run_gives_up_after_the_bound_naming_the_holder(tmp_path: Path) -> None:
    started = time.monotonic()
    probe = _probe(tmp_path, bound=2)
    output, _ = probe.communicate(timeout=120)
    assert probe.returncode == 1, output
    assert f"step writes_the_warehouse {WAITS}; giving up after 2 s" in output
    assert "gave up after waiting" in output and "REVOPS_POOL_WAIT_SECONDS" in output
    assert time.monotonic() - started < 60
    status, users = _after(tmp_path, _run_id(output))
    assert status == DagsterRunStatus.FAILURE
    assert set(users) == {HOLDER_RUN}  # its claim freed; the holder's slot untouched


def test_sigterm_cancels_a_waiting_run(tmp_path: Path) -> None:
    probe = _probe(tmp_path, bound=600)
    assert probe.stdout is not None
    lines = []
    for line in probe.stdout:  # wait until it says what it waits for
        lines.append(line)
        if WAITS in line:
            break
    # while it waits it sleeps between claim attempts: Dagster's own loop took a core
    busy = _cpu_seconds(probe.pid)
    time.sleep(3)
    assert _cpu_seconds(probe.pid) - busy < 0.6  # about 0.1 s with the fix, 1.3-3 s without
    signaled = time.monotonic()
    probe.send_signal(signal.SIGTERM)
    rest, _ = probe.communicate(timeout=60)
    output = "".join(lines) + rest
    assert probe.returncode == 143, output
    assert time.monotonic() - signaled < 30
    assert f"terminated by a signal while step writes_the_warehouse {WAITS}" in output
    status, users = _after(tmp_path, _run_id(output))
    assert status == DagsterRunStatus.CANCELED
    assert set(users) == {HOLDER_RUN}


def test_the_wait_bound_setting() -> None:
    assert pool_wait_seconds_from_env({}) == 3600
    assert pool_wait_seconds_from_env({"REVOPS_POOL_WAIT_SECONDS": "90"}) == 90
    for bad in ("soon", "0", "-5"):
        with pytest.raises(ValueError, match="REVOPS_POOL_WAIT_SECONDS"):
            pool_wait_seconds_from_env({"REVOPS_POOL_WAIT_SECONDS": bad})
