"""Alerts: failed checks and failed runs reach a (local) webhook once, naming rule, count, run."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest
from dagster import (
    DagsterEventType,
    DagsterInstance,
    build_run_status_sensor_context,
)

from orchestration.alerts import WEBHOOK_ENV, build_alert_sensors, post_json
from orchestration.settings import Settings
from tests.quality.contract import insert
from tests.quality.test_dagster import break_both_rules, run


class Webhook:
    """A local HTTP server recording the JSON bodies posted to it."""

    def __init__(self) -> None:
        self.posts: list[dict[str, Any]] = []
        posts = self.posts

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                posts.append(json.loads(self.rfile.read(length)))
                self.send_response(200)
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args: Any) -> None:
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def webhook(monkeypatch: pytest.MonkeyPatch) -> Iterator[Webhook]:
    hook = Webhook()
    monkeypatch.setenv(WEBHOOK_ENV, hook.url)
    try:
        yield hook
    finally:
        hook.close()


def break_warning_rule(settings: Settings) -> None:
    """One duplicated marketing contact: the warning rule duplicate_people fails, nothing else."""
    insert(
        settings,
        "raw_hubspot.contact",
        [
            {"id": "1", "property_email": "ann@acme.example", "_fivetran_deleted": False},
            {"id": "2", "property_email": " Ann@Acme.example ", "_fivetran_deleted": False},
        ],
    )


def sensors() -> dict[str, Any]:
    return {s.name: s for s in build_alert_sensors()}


def run_event(instance: DagsterInstance, run_id: str, event_type: DagsterEventType) -> Any:
    """The run's RUN_SUCCESS or RUN_FAILURE event, as Dagster hands it to a run-status sensor."""
    return next(
        e.dagster_event
        for e in instance.all_logs(run_id)
        if e.dagster_event and e.dagster_event.event_type == event_type
    )


def success_context(instance: DagsterInstance, run_id: str) -> Any:
    return build_run_status_sensor_context(
        sensor_name="quality_check_alerts",
        dagster_instance=instance,
        dagster_run=instance.get_run_by_id(run_id),
        dagster_event=run_event(instance, run_id, DagsterEventType.RUN_SUCCESS),
    )


def test_failed_warnings_of_a_successful_run_are_posted(
    contract_settings: Settings, webhook: Webhook
) -> None:
    sensor = sensors()["quality_check_alerts"]
    with DagsterInstance.ephemeral() as instance:
        clean = run(contract_settings, instance=instance)
        assert clean.success
        sensor(success_context(instance, clean.run_id))
        assert webhook.posts == []  # nothing failed, nothing posted

        break_warning_rule(contract_settings)
        result = run(contract_settings, instance=instance)
        assert result.success  # a failed warning does not fail the run
        sensor(success_context(instance, result.run_id))
    assert len(webhook.posts) == 1
    post = webhook.posts[0]
    assert set(post) == {"text", "blocks"}
    text = post["text"]
    assert result.run_id in json.dumps(post)
    assert "duplicate_people" in text and "(warn)" in text
    assert "1 offending (threshold 0)" in text  # one duplicated email
    # a Slack link to the check's rows (the page `revops serve` serves)
    rows = f"<{contract_settings.pages_url}/checks/duplicate_people#offending-rows|rows>"
    assert rows in text
    assert "orphans" not in text


def test_run_failure_is_posted_with_its_failed_checks(
    contract_settings: Settings, webhook: Webhook
) -> None:
    break_both_rules(contract_settings)
    with DagsterInstance.ephemeral() as instance:
        result = run(contract_settings, instance=instance)
        assert not result.success  # the blocking check failed the run
        context = build_run_status_sensor_context(
            sensor_name="run_failure_alerts",
            dagster_instance=instance,
            dagster_run=instance.get_run_by_id(result.run_id),
            dagster_event=run_event(instance, result.run_id, DagsterEventType.RUN_FAILURE),
        ).for_run_failure()
        sensors()["run_failure_alerts"](context)
    assert len(webhook.posts) == 1
    text = webhook.posts[0]["text"]
    assert result.run_id in json.dumps(webhook.posts[0])
    assert "failed" in text and "orphans" in text


def test_without_a_url_alerts_are_logged(
    contract_settings: Settings, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.delenv(WEBHOOK_ENV, raising=False)
    break_warning_rule(contract_settings)
    with DagsterInstance.ephemeral() as instance:
        result = run(contract_settings, instance=instance)
        with caplog.at_level("INFO"):
            sensors()["quality_check_alerts"](success_context(instance, result.run_id))
    assert "duplicate_people" in caplog.text and WEBHOOK_ENV in caplog.text


def test_a_failed_post_is_logged_not_raised(caplog: pytest.LogCaptureFixture) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with caplog.at_level("WARNING"):
        ok = post_json(f"http://127.0.0.1:{port}/closed", {"text": "x"}, timeout=2)
    assert ok is False
    assert "could not post" in caplog.text


@pytest.mark.parametrize(
    "url",
    [
        "hooks.example/services/T000/B000/SECRETSENTINEL",  # no scheme
        "http://127.0.0.1:9/services/SECRETSENTINEL",  # nothing listens
        "ftp://hooks.example/SECRETSENTINEL",
    ],
)
def test_a_bad_webhook_url_never_reaches_the_log(
    url: str, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level("DEBUG"):
        assert post_json(url, {"text": "x"}, timeout=2) is False
    assert "could not post" in caplog.text
    assert "SECRETSENTINEL" not in caplog.text
