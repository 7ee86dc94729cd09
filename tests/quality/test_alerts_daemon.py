"""Alerts from a real Dagster daemon on a persistent instance, as an operator runs it.

The daemon (what `dagster dev` starts beside the UI) evaluates the project's alert sensors on a
fresh DAGSTER_HOME: SQLite storage (run-sharded, `dagster dev`'s default) and PostgreSQL
storage. A run with a failed warning check and a run failed by a blocking check must each reach
the local webhook exactly once.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from dagster import DagsterInstance
from dagster._core.definitions.run_request import InstigatorType

from orchestration.alerts import WEBHOOK_ENV
from tests.quality.alert_probe import defs
from tests.quality.test_alerts import Webhook

pytestmark = pytest.mark.slow

PROJECT_DIR = Path(__file__).resolve().parents[2]
SENSORS = ("quality_check_alerts", "run_failure_alerts")


def wait_for(condition: Callable[[], bool], what: str, log: Path, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.5)
    tail = log.read_text(errors="replace")[-4000:] if log.exists() else ""
    raise AssertionError(f"timed out waiting for {what}; daemon log tail:\n{tail}")


def ticks(instance: DagsterInstance) -> dict[str, int]:
    """Sensor name -> number of ticks stored so far."""
    out = {}
    for state in instance.all_instigator_state(instigator_type=InstigatorType.SENSOR):
        if state.name in SENSORS:
            out[state.name] = len(
                instance.get_ticks(state.instigator_origin_id, state.selector_id, limit=1000)
            )
    return out


@pytest.fixture
def webhook() -> Iterator[Webhook]:
    hook = Webhook()
    try:
        yield hook
    finally:
        hook.close()


def start_daemon(home: Path, hook: Webhook) -> subprocess.Popen[bytes]:
    workspace = home / "workspace.yaml"
    workspace.write_text(
        "load_from:\n"
        "  - python_module:\n"
        "      module_name: tests.quality.alert_probe\n"
        f"      working_directory: {PROJECT_DIR}\n"
    )
    env = {**os.environ, "DAGSTER_HOME": str(home), WEBHOOK_ENV: hook.url}
    log = (home / "daemon.log").open("wb")
    return subprocess.Popen(
        [str(Path(sys.executable).with_name("dagster-daemon")), "run", "-w", str(workspace)],
        cwd=PROJECT_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def alerts_reach_the_webhook_once(home: Path, hook: Webhook) -> None:
    daemon = start_daemon(home, hook)
    log = home / "daemon.log"
    try:
        with DagsterInstance.from_config(str(home)) as instance:
            # run-status sensors start watching at their first tick
            wait_for(lambda: set(ticks(instance)) == set(SENSORS), "the first sensor ticks", log)

            warned = defs.resolve_job_def("warn_probe").execute_in_process(instance=instance)
            assert warned.success
            wait_for(lambda: len(hook.posts) >= 1, "the check alert", log)

            failed = defs.resolve_job_def("error_probe").execute_in_process(
                instance=instance, raise_on_error=False
            )
            assert not failed.success
            wait_for(lambda: len(hook.posts) >= 2, "the run-failure alert", log)

            # a few more ticks of both sensors: nothing is posted twice
            seen = ticks(instance)
            wait_for(
                lambda: all(ticks(instance)[name] >= seen[name] + 3 for name in SENSORS),
                "three more ticks",
                log,
            )
    finally:
        os.killpg(daemon.pid, signal.SIGTERM)
        daemon.wait(timeout=60)

    assert len(hook.posts) == 2, [p["text"] for p in hook.posts]
    check_alert, run_alert = (p["text"] for p in hook.posts)
    assert warned.run_id in check_alert and "probe_warning" in check_alert
    assert "3 offending (threshold 0)" in check_alert and "(warn)" in check_alert
    assert failed.run_id in run_alert and "failed" in run_alert
    assert "probe_error" in run_alert and "(error)" in run_alert


def test_alerts_on_sqlite_storage(tmp_path: Path, webhook: Webhook) -> None:
    home = tmp_path / "dagster_home"
    home.mkdir()
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    alerts_reach_the_webhook_once(home, webhook)


@pytest.mark.postgres
def test_alerts_on_postgres_storage(tmp_path: Path, webhook: Webhook, pg_database: str) -> None:
    home = tmp_path / "dagster_home"
    home.mkdir()
    (home / "dagster.yaml").write_text(
        "telemetry:\n  enabled: false\n"
        "storage:\n  postgres:\n"
        f"    postgres_url: postgresql+psycopg2://postgres@127.0.0.1:5432/{pg_database}\n"
    )
    alerts_reach_the_webhook_once(home, webhook)
