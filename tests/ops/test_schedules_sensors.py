"""The daily schedule and the landing-folder sensor, evaluated as the Dagster daemon would."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from dagster import DagsterInstance, RunRequest, build_schedule_context, build_sensor_context

from orchestration.assets.dbt import WINDOW_TAG
from orchestration.resources import RevopsResource
from orchestration.run_settings import AS_OF_TAG, as_of_from_tags
from orchestration.schedules import (
    DEFAULT_CRON,
    SCHEDULE_NAME,
    build_daily_schedule,
    schedule_cron,
)
from orchestration.sensors import (
    build_landing_sensor,
    changed_files,
    parse_cursor,
    scan_landing,
    settle_seconds_from_env,
)
from tests.ops.defs_factory import build_ops_definitions


def _requests(result: object) -> list[RunRequest]:
    return list(getattr(result, "run_requests", None) or [])


def test_schedule_cron_from_env() -> None:
    assert schedule_cron({}) == DEFAULT_CRON == "0 6 * * *"
    assert schedule_cron({"REVOPS_SCHEDULE_CRON": "30 2 * * 1"}) == "30 2 * * 1"
    with pytest.raises(ValueError, match="REVOPS_SCHEDULE_CRON"):
        build_daily_schedule(cron="every day at six")


def test_schedule_requests_the_previous_days_window(manifest: Path) -> None:
    defs = build_ops_definitions(ingest="stand_in", checks=False)
    schedule = defs.resolve_schedule_def(SCHEDULE_NAME)
    assert schedule.cron_schedule == "0 6 * * *"
    assert schedule.execution_timezone == "UTC"
    assert schedule.job_name == "daily_incremental"
    with DagsterInstance.ephemeral() as instance:
        context = build_schedule_context(
            instance=instance,
            scheduled_execution_time=datetime(2025, 3, 10, 6, tzinfo=UTC),
            repository_def=defs.get_repository_def(),
        )
        requests = _requests(schedule.evaluate_tick(context))
    assert len(requests) == 1
    assert requests[0].partition_key is None
    assert requests[0].tags[WINDOW_TAG] == "2025-03-09..2025-03-10"
    assert requests[0].run_key == "daily-2025-03-09"
    assert requests[0].tags["revops/trigger"] == "schedule"
    # the run's "now" is the tick, not the clock of whichever step reads it
    assert requests[0].tags[AS_OF_TAG] == "2025-03-10T06:00:00Z"


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def _tick(sensor: object, landing: Path, cursor: str | None, instance: DagsterInstance) -> object:
    defs = build_ops_definitions(ingest="stand_in", checks=False)
    context = build_sensor_context(
        instance=instance,
        cursor=cursor,
        resources={"revops": RevopsResource(landing_dir=str(landing))},
        repository_def=defs.get_repository_def(),
    )
    return sensor.evaluate_tick(context)  # type: ignore[attr-defined]


def test_landing_sensor_new_same_changed(tmp_path: Path, manifest: Path) -> None:
    landing = tmp_path / "landing"
    sensor = build_landing_sensor(settle_seconds=0)
    with DagsterInstance.ephemeral() as instance:
        # no folder yet: skip, no cursor
        first = _tick(sensor, landing, None, instance)
        assert not _requests(first)
        assert "does not exist" in (first.skip_message or "")

        # a new file: exactly one run request
        _write(landing / "salesforce" / "lead.csv", "id,email\n1,a@example.com\n")
        _write(landing / "ground_truth.json", "{}")  # not a data file: ignored
        new = _tick(sensor, landing, None, instance)
        assert len(_requests(new)) == 1
        request = _requests(new)[0]
        assert request.partition_key is None  # a catch-up run: no window
        assert WINDOW_TAG not in request.tags
        stamped = as_of_from_tags(request.tags)  # the tick's time, stamped on the run
        assert stamped is not None
        assert abs(stamped - datetime.now(UTC).replace(tzinfo=None)) < timedelta(minutes=5)
        assert new.cursor and "salesforce/lead.csv" in parse_cursor(new.cursor)
        assert "ground_truth.json" not in new.cursor

        # the same files again: no run
        same = _tick(sensor, landing, new.cursor, instance)
        assert not _requests(same)
        assert "no new or changed files" in (same.skip_message or "")

        # a changed file (new size and mtime): one more run, with a different run key
        _write(landing / "salesforce" / "lead.csv", "id,email\n1,a@example.com\n2,b@example.com\n")
        stat = (landing / "salesforce" / "lead.csv").stat()
        os.utime(
            landing / "salesforce" / "lead.csv", ns=(stat.st_atime_ns, stat.st_mtime_ns - 5 * 10**9)
        )
        changed = _tick(sensor, landing, new.cursor, instance)
        assert len(_requests(changed)) == 1
        assert _requests(changed)[0].run_key != _requests(new)[0].run_key

        # a file in a new system folder: one more run
        _write(landing / "web" / "sessions.jsonl", '{"session_id": "s1"}\n')
        added = _tick(sensor, landing, changed.cursor, instance)
        assert len(_requests(added)) == 1
        assert "web/sessions.jsonl" in _requests(added)[0].tags["revops/changed_files"]

        # re-evaluating the same tick gives the same run key: Dagster drops the duplicate
        again = _tick(sensor, landing, changed.cursor, instance)
        assert _requests(again)[0].run_key == _requests(added)[0].run_key


def test_landing_sensor_waits_for_files_to_settle(tmp_path: Path, manifest: Path) -> None:
    landing = tmp_path / "landing"
    _write(landing / "ads" / "ad_stats.csv", "date_day\n2025-12-31\n")
    assert scan_landing(landing, settle_seconds=3600) == {}
    sensor = build_landing_sensor(settle_seconds=3600)
    with DagsterInstance.ephemeral() as instance:
        assert not _requests(_tick(sensor, landing, None, instance))


def test_cursor_helpers() -> None:
    assert parse_cursor(None) == {} == parse_cursor("not json") == parse_cursor("[1]")
    assert changed_files({"a/x.csv": [1, 2]}, {"a/x.csv": [1, 2], "b/y.csv": [3, 4]}) == ["b/y.csv"]
    assert changed_files({"a/x.csv": [1, 2]}, {}) == []  # deletions start nothing
    assert settle_seconds_from_env({"REVOPS_SENSOR_SETTLE_SECONDS": "0"}) == 0
    with pytest.raises(ValueError, match="REVOPS_SENSOR_SETTLE_SECONDS"):
        settle_seconds_from_env({"REVOPS_SENSOR_SETTLE_SECONDS": "-1"})
