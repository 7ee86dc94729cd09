"""Runs whose process died: marked failed and their concurrency-pool slots freed.

Every step that writes the warehouse takes a slot of the pool ``duckdb_writer`` (limit 1, see
dagster.yaml). A `revops run` killed with SIGKILL (or a machine that lost power) never gives its
slot back, and Dagster's instance keeps the run STARTED: every later run then waits for the slot
forever. The CLI tags its runs with its process id and host; before a run starts, runs of this
host that are still in progress but whose process is gone are reported failed and their slots
freed. Runs launched by the Dagster daemon are watched by Dagster's own run monitoring.
"""

from __future__ import annotations

import os
import socket
from typing import Any

PID_TAG = "revops/pid"
HOST_TAG = "revops/host"
# The code location `make ui` serves (pyproject.toml, [tool.dagster] code_location_name) and
# the tag by which the UI lists a run on its job's page and in the overview timeline
# (dagster_graphql filters a job's runs on `.dagster/repository` = <repository>@<location>);
# runs executed in process carry no location of their own.
CODE_LOCATION = "revops"
REPOSITORY_LABEL_TAG = ".dagster/repository"
REPOSITORY_LABEL = f"__repository__@{CODE_LOCATION}"


def cli_run_tags() -> dict[str, str]:
    """The tags of a run the CLI executes: its process id and host (a later run can tell
    whether this process is still alive) and the code location's repository label (the UI
    lists the run on the job's page, like a run launched from the UI)."""
    return {
        PID_TAG: str(os.getpid()),
        HOST_TAG: socket.gethostname(),
        REPOSITORY_LABEL_TAG: REPOSITORY_LABEL,
    }


def process_alive(pid: int) -> bool:
    """Whether a process with this id exists (on this host)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, under another user
        return True
    return True


def release_dead_runs(instance: Any) -> list[str]:
    """Fail the in-progress CLI runs of this host whose process is gone; free their slots."""
    from dagster import DagsterRunStatus, RunsFilter

    in_progress = [
        DagsterRunStatus.STARTING,
        DagsterRunStatus.STARTED,
        DagsterRunStatus.CANCELING,
    ]
    records = instance.get_run_records(
        filters=RunsFilter(statuses=in_progress, tags={HOST_TAG: socket.gethostname()})
    )
    released = []
    for record in records:
        run = record.dagster_run
        pid = int(run.tags.get(PID_TAG, "0") or 0)
        if pid == os.getpid() or process_alive(pid):
            continue
        instance.report_run_failed(
            run, f"the process that ran it (pid {pid}) is gone: its pool slots were freed"
        )
        instance.event_log_storage.free_concurrency_slots_for_run(run.run_id)
        released.append(run.run_id)
    return released
