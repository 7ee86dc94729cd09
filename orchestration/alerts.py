"""Data-quality alerts: Slack-compatible webhook posts when an asset check or a run fails.

Two sensors (``build_alert_sensors``):

* ``quality_check_alerts`` (a run-status sensor, which Dagster runs once per successful run)
  posts one message per run listing every failed check: rule, severity, offending rows against
  the threshold, and the run id. A successful run with failed checks has warnings only.
* ``run_failure_alerts`` (a run-failure sensor, which Dagster runs once per failed run) posts the
  failed run's id, job and error, with the checks that failed in it (a failed blocking check
  fails the run, so it is reported here, once).

The webhook URL comes from REVOPS_ALERT_WEBHOOK_URL, read when a sensor runs; without it the
message is only logged. Posting uses urllib with a timeout; a failed post is logged, never raised,
so a broken webhook cannot stop the sensors.
"""

from __future__ import annotations

import json
import logging
import os
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from dagster import (
    DagsterEventType,
    DagsterRunStatus,
    DefaultSensorStatus,
    RunFailureSensorContext,
    RunStatusSensorContext,
    SensorDefinition,
    SkipReason,
    run_failure_sensor,
    run_status_sensor,
)

from orchestration.console import metadata_value

WEBHOOK_ENV = "REVOPS_ALERT_WEBHOOK_URL"
TIMEOUT_SECONDS = 10.0

logger = logging.getLogger("revops.alerts")


@dataclass(frozen=True)
class FailedCheck:
    """One failed asset check evaluation, as an alert names it."""

    run_id: str
    asset: str
    check: str
    severity: str
    observed_value: Any
    threshold: Any
    description: str = ""
    #: the check's page with its offending rows (``revops serve``), when the check links one
    rows_url: str | None = None

    def line(self) -> str:
        """rule (severity) on asset: N offending (threshold T), with a link to the rows."""
        line = (
            f"*{self.check}* ({self.severity}) on `{self.asset}`: "
            f"{self.observed_value} offending (threshold {self.threshold})"
        )
        return f"{line} <{self.rows_url}|rows>" if self.rows_url else line


def webhook_url(env: Mapping[str, str] | None = None) -> str:
    """The configured webhook URL ('' when alerts only go to the log)."""
    return (os.environ if env is None else env).get(WEBHOOK_ENV, "").strip()


def post_json(url: str, payload: Mapping[str, Any], timeout: float = TIMEOUT_SECONDS) -> bool:
    """POST the payload as JSON; True on a 2xx answer. Errors are logged, not raised."""
    try:
        request = urllib.request.Request(
            url,
            data=json.dumps(payload).encode("utf-8"),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=timeout) as response:
            ok = 200 <= response.status < 300
            if not ok:
                logger.warning("alert webhook answered HTTP %s", response.status)
            return ok
    except urllib.error.HTTPError as exc:
        logger.warning("could not post the alert: the webhook answered HTTP %s", exc.code)
        return False
    except (urllib.error.URLError, TimeoutError, OSError, ValueError) as exc:
        # The URL is a secret (a Slack webhook's path is its key), and urllib's messages
        # quote it: name the kind of error only.
        logger.warning(
            "could not post the alert to %s (%s): %s",
            WEBHOOK_ENV,
            type(exc).__name__,
            "not an http(s) URL" if isinstance(exc, ValueError) else "connection failed",
        )
        return False


def slack_payload(title: str, lines: Sequence[str], footer: str = "") -> dict[str, Any]:
    """A Slack-compatible message: plain ``text`` for notifications plus ``blocks``."""
    body = "\n".join(f"• {line}" for line in lines)
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": title[:150]}},
    ]
    if body:
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": body[:2900]}})
    if footer:
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": footer}]})
    text = f"{title}\n{body}".strip()
    return {"text": text, "blocks": blocks}


def send(payload: Mapping[str, Any], log: Any = None, env: Mapping[str, str] | None = None) -> bool:
    """Post to the webhook when one is configured, else log the message (also to ``log``)."""
    url = webhook_url(env)
    if not url:
        message = f"alert (no {WEBHOOK_ENV} set): {payload['text']}"
        logger.info(message)
        if log is not None:
            log.info(message)
        return False
    return post_json(url, payload)


def checks_payload(run_id: str, failed: Sequence[FailedCheck]) -> dict[str, Any]:
    """The message for the failed checks of one run."""
    errors = sum(f.severity == "error" for f in failed)
    title = f"revops: {len(failed)} data-quality check(s) failed in run {run_id}"
    if errors:
        title += f" ({errors} blocking)"
    return slack_payload(title, [f.line() for f in failed], footer=f"run id: {run_id}")


def failed_check(run_id: str, evaluation: Any) -> FailedCheck | None:
    """A FailedCheck from an AssetCheckEvaluation (None when it passed)."""
    if evaluation.passed:
        return None
    metadata = evaluation.metadata or {}
    severity = (
        metadata_value(metadata, "severity")
        or getattr(evaluation.severity, "value", str(evaluation.severity)).lower()
    )
    return FailedCheck(
        run_id=run_id,
        asset=evaluation.asset_key.to_user_string(),
        check=evaluation.check_name,
        severity=str(severity),
        observed_value=metadata_value(metadata, "observed_value"),
        threshold=metadata_value(metadata, "threshold"),
        description=evaluation.description or "",
        rows_url=metadata_value(metadata, "offending_rows")
        or metadata_value(metadata, "check_page"),
    )


def failed_checks_of_run(instance: Any, run_id: str) -> list[FailedCheck]:
    """Every failed check evaluation of one run."""
    found: list[FailedCheck] = []
    for record in instance.get_records_for_run(
        run_id, of_type=DagsterEventType.ASSET_CHECK_EVALUATION
    ).records:
        event = record.event_log_entry.dagster_event
        item = failed_check(run_id, event.event_specific_data) if event else None
        if item is not None:
            found.append(item)
    return found


def build_alert_sensors(minimum_interval_seconds: int = 30) -> list[SensorDefinition]:
    """The check-failure and run-failure alert sensors (running by default).

    Both are run-status sensors: Dagster keeps their cursor over run status changes, which
    works on every instance storage (the run-sharded SQLite of ``dagster dev`` included,
    where reading check events across runs by storage id does not), and hands each finished
    run to the sensor exactly once. ``monitor_all_code_locations`` takes in the runs that
    ``revops run`` executes in its own process as well as those launched from the UI.
    """

    @run_status_sensor(
        name="quality_check_alerts",
        run_status=DagsterRunStatus.SUCCESS,
        minimum_interval_seconds=minimum_interval_seconds,
        default_status=DefaultSensorStatus.RUNNING,
        monitor_all_code_locations=True,
        description=(
            "Posts the failed data-quality checks of each successful run to "
            "REVOPS_ALERT_WEBHOOK_URL, one message per run (a failed blocking check fails "
            "the run: run_failure_alerts reports it)."
        ),
    )
    def quality_check_alerts(context: RunStatusSensorContext) -> SkipReason | None:
        run_id = context.dagster_run.run_id
        failed = failed_checks_of_run(context.instance, run_id)
        if not failed:
            return SkipReason(f"run {run_id}: no failed check")
        send(checks_payload(run_id, failed), log=context.log)
        return None

    @run_failure_sensor(
        name="run_failure_alerts",
        minimum_interval_seconds=minimum_interval_seconds,
        default_status=DefaultSensorStatus.RUNNING,
        monitor_all_code_locations=True,
        description="Posts failed runs, with their failed checks, to REVOPS_ALERT_WEBHOOK_URL.",
    )
    def run_failure_alerts(context: RunFailureSensorContext) -> None:
        run = context.dagster_run
        message = context.failure_event.message or "run failed"
        failed = failed_checks_of_run(context.instance, run.run_id)
        lines = [f"job `{run.job_name}` failed: {message.splitlines()[0][:300]}"]
        lines += [f.line() for f in failed]
        payload = slack_payload(
            f"revops: run {run.run_id} failed", lines, footer=f"run id: {run.run_id}"
        )
        send(payload, log=context.log)

    return [quality_check_alerts, run_failure_alerts]
