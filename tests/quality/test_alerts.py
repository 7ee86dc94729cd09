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
    build_sensor_context,
)

from orchestration.alerts import WEBHOOK_ENV, build_alert_sensors, post_json
from orchestration.settings import Settings
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


def sensors() -> dict[str, Any]:
    return {s.name: s for s in build_alert_sensors()}


def test_failed_checks_are_posted_once(contract_settings: Settings, webhook: Webhook) -> None:
    break_both_rules(contract_settings)
    with DagsterInstance.ephemeral() as instance:
        result = run(contract_settings, instance=instance)
        sensor = sensors()["quality_check_alerts"]

        context = build_sensor_context(instance=instance)
        sensor(context)
        assert len(webhook.posts) == 1
        post = webhook.posts[0]
        assert set(post) == {"text", "blocks"}
        text = post["text"]
        assert result.run_id in json.dumps(post)
        assert "orphans" in text and "duplicate_people" in text
        assert "(error)" in text and "(warn)" in text
        assert "1 offending (threshold 0)" in text  # one orphan opportunity, one duplicate email

        # the same failures are never posted twice: not with the cursor...
        sensor(build_sensor_context(instance=instance, cursor=context.cursor))
        # ...and not even when the storage-id part of the cursor is lost
        lost = json.loads(context.cursor)
        lost["storage_id"] = 0
        sensor(build_sensor_context(instance=instance, cursor=json.dumps(lost)))
        assert len(webhook.posts) == 1

        # a new run with the same failures is a new alert
        second = run(contract_settings, instance=instance)
        sensor(build_sensor_context(instance=instance, cursor=context.cursor))
        assert len(webhook.posts) == 2
        assert second.run_id in webhook.posts[1]["text"]


def test_run_failure_is_posted_with_its_failed_checks(
    contract_settings: Settings, webhook: Webhook
) -> None:
    break_both_rules(contract_settings)
    with DagsterInstance.ephemeral() as instance:
        result = run(contract_settings, instance=instance)
        assert not result.success  # the blocking check failed the run
        run_record = instance.get_run_by_id(result.run_id)
        failure = next(
            e
            for e in instance.all_logs(result.run_id)
            if e.dagster_event and e.dagster_event.event_type == DagsterEventType.RUN_FAILURE
        )
        context = build_run_status_sensor_context(
            sensor_name="run_failure_alerts",
            dagster_instance=instance,
            dagster_run=run_record,
            dagster_event=failure.dagster_event,
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
    break_both_rules(contract_settings)
    with DagsterInstance.ephemeral() as instance:
        run(contract_settings, instance=instance)
        context = build_sensor_context(instance=instance)
        with caplog.at_level("INFO"):
            sensors()["quality_check_alerts"](context)
    assert "orphans" in caplog.text and WEBHOOK_ENV in caplog.text


def test_a_failed_post_is_logged_not_raised(caplog: pytest.LogCaptureFixture) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with caplog.at_level("WARNING"):
        ok = post_json(f"http://127.0.0.1:{port}/closed", {"text": "x"}, timeout=2)
    assert ok is False
    assert "could not post" in caplog.text
