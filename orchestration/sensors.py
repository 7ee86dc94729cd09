"""The landing-folder sensor: a run when new or changed files land, never twice for the same files.

The cursor is the state of the landing folder the last run was started for: for every data
file ``<system>/<table>.csv|jsonl`` its modification time (ns) and size. A tick compares the
folder with the cursor; any new file, or a file whose mtime or size changed, starts one
``daily_incremental`` run without a window (incremental models take every row since their
high-water mark). The run_key is a digest of
the new cursor, so the same files never start two runs even if a tick is evaluated twice.
The run's as_of is the time of the tick that requested it (tag ``revops/as_of``).
Deleted files do not start a run.

A file modified less than ``settle_seconds`` ago may still be being written: it is left for a
later tick (REVOPS_SENSOR_SETTLE_SECONDS, default 10).
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Mapping
from pathlib import Path

from dagster import (
    DefaultSensorStatus,
    JobDefinition,
    RunRequest,
    SensorDefinition,
    SensorEvaluationContext,
    SkipReason,
    sensor,
)
from dagster._core.definitions.unresolved_asset_job_definition import (
    UnresolvedAssetJobDefinition,
)

from orchestration.jobs import daily_incremental_job
from orchestration.resources import RevopsResource
from orchestration.run_settings import as_of_tag, resolve_as_of

SENSOR_NAME = "landing_folder_sensor"
DATA_SUFFIXES = (".csv", ".jsonl")
DEFAULT_SETTLE_SECONDS = 10.0

FileState = dict[str, list[int]]


def settle_seconds_from_env(env: Mapping[str, str] | None = None) -> float:
    """REVOPS_SENSOR_SETTLE_SECONDS: how long a file must be untouched before it counts."""
    env = os.environ if env is None else env
    text = env.get("REVOPS_SENSOR_SETTLE_SECONDS") or str(DEFAULT_SETTLE_SECONDS)
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"REVOPS_SENSOR_SETTLE_SECONDS={text!r} is not a number") from None
    if value < 0:
        raise ValueError(f"REVOPS_SENSOR_SETTLE_SECONDS={text!r} must be 0 or more")
    return value


def scan_landing(
    landing_dir: Path, settle_seconds: float = 0.0, now: float | None = None
) -> FileState:
    """{"<system>/<file>": [mtime_ns, size]} of the settled data files in the landing folder."""
    if not landing_dir.is_dir():
        return {}
    now = time.time() if now is None else now
    state: FileState = {}
    for system_dir in sorted(p for p in landing_dir.iterdir() if p.is_dir()):
        for path in sorted(system_dir.iterdir()):
            if not path.is_file() or path.suffix.lower() not in DATA_SUFFIXES:
                continue
            stat = path.stat()
            if now - stat.st_mtime < settle_seconds:
                continue
            state[f"{system_dir.name}/{path.name}"] = [stat.st_mtime_ns, stat.st_size]
    return state


def parse_cursor(cursor: str | None) -> FileState:
    """The file state stored in a cursor (empty for no or an unreadable cursor)."""
    if not cursor:
        return {}
    try:
        data = json.loads(cursor)
    except json.JSONDecodeError:
        return {}
    if not isinstance(data, dict):
        return {}
    return {str(k): [int(x) for x in v] for k, v in data.items() if isinstance(v, list)}


def changed_files(previous: FileState, current: FileState) -> list[str]:
    """Files that are new or whose mtime or size changed since ``previous``."""
    return sorted(name for name, stat in current.items() if previous.get(name) != stat)


def cursor_for(previous: FileState, current: FileState) -> str:
    """The next cursor: the current state, keeping unsettled files at their previous state."""
    merged = {**{k: v for k, v in previous.items() if k not in current}, **current}
    return json.dumps(merged, sort_keys=True, separators=(",", ":"))


def run_key_for(cursor: str) -> str:
    """A run key that names one state of the landing folder."""
    return "landing-" + hashlib.sha256(cursor.encode()).hexdigest()[:20]


def build_landing_sensor(
    job: JobDefinition | UnresolvedAssetJobDefinition = daily_incremental_job,
    settle_seconds: float | None = None,
    minimum_interval_seconds: int = 60,
) -> SensorDefinition:
    """The landing-folder sensor (stopped by default: an operator turns it on)."""

    @sensor(
        name=SENSOR_NAME,
        job=job,
        minimum_interval_seconds=minimum_interval_seconds,
        default_status=DefaultSensorStatus.STOPPED,
        description="Starts daily_incremental when data files in the landing folder are new "
        "or changed (cursor: file names, mtimes and sizes).",
    )
    def _landing(
        context: SensorEvaluationContext, revops: RevopsResource
    ) -> RunRequest | SkipReason:
        landing_dir = revops.settings().landing_dir
        if not landing_dir.is_dir():
            return SkipReason(f"landing folder {landing_dir} does not exist")
        settle = settle_seconds_from_env() if settle_seconds is None else settle_seconds
        previous = parse_cursor(context.cursor)
        current = scan_landing(landing_dir, settle_seconds=settle)
        changed = changed_files(previous, current)
        if not changed:
            return SkipReason(f"no new or changed files in {landing_dir}")
        cursor = cursor_for(previous, current)
        context.update_cursor(cursor)
        shown = ", ".join(changed[:10]) + (
            f" (+{len(changed) - 10} more)" if len(changed) > 10 else ""
        )
        context.log.info(f"{len(changed)} new or changed file(s): {shown}")
        return RunRequest(
            run_key=run_key_for(cursor),
            tags={
                "revops/trigger": "landing_sensor",
                "revops/changed_files": shown[:200],
                **as_of_tag(resolve_as_of(None)),
            },
        )

    return _landing


def build_sensors() -> list[SensorDefinition]:
    """Every sensor of this module (the alert sensors live in orchestration/alerts.py)."""
    return [build_landing_sensor()]
