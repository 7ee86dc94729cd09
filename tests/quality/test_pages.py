"""The check pages: written by the runner, served by ``revops serve`` (no warehouse needed)."""

from __future__ import annotations

import socket
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from orchestration.quality.pages import PAGE_ROWS, make_server, write_pages
from orchestration.quality.result import CheckResult
from orchestration.settings import Settings


def _rule(rows: int) -> CheckResult:
    found = [
        {"record_id": f"00Q{n}", "email": f"j***@acme{n}.example", "finding": "no match"}
        for n in range(rows)
    ]
    return CheckResult(
        rule="person_match",
        severity="warn",
        success=False,
        observed_value=rows,
        threshold=0,
        unexpected_count=rows,
        sample_rows=found[:5],
        offending_rows=found,
        asset=("marts", "dim_person"),
        description="every person matches across systems",
    )


def _suite() -> CheckResult:
    return CheckResult(
        rule="raw_web__sessions",
        severity="error",
        success=True,
        observed_value=0,
        threshold=0,
        unexpected_count=0,
        kind="suite",
        asset=("raw_web", "sessions"),
    )


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    settings = Settings.from_env({}).with_(reports_dir=tmp_path / "reports")
    write_pages(
        settings,
        [_rule(PAGE_ROWS + 20), _suite()],
        "run-7",
        datetime(2026, 1, 2),
        datetime(2026, 1, 1),
    )
    (settings.reports_dir / "weekly_report.html").write_text("<h1>Weekly report</h1>")
    (tmp_path / "secret.html").write_text("outside")
    httpd = make_server(settings, "127.0.0.1", 0)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def test_a_rule_page_shows_its_rows_total_run_and_command(server: str) -> None:
    status, page = _get(f"{server}/checks/person_match")
    assert status == 200
    assert "Offending rows (520)" in page and f"the first {PAGE_ROWS} of 520" in page
    assert page.count("<tr><td>00Q") == PAGE_ROWS
    assert "run-7" in page and "2026-01-01 00:00:00" in page
    assert "revops check --rows person_match --limit 0" in page
    assert "http" not in page.split("<body>")[0]  # nothing loaded from elsewhere: renders offline


def test_the_index_links_every_check_and_the_report(server: str) -> None:
    status, index = _get(f"{server}/")
    assert status == 200
    assert (
        '<a href="/checks/person_match">' in index
        and '<a href="/checks/raw_web__sessions">' in index
    )
    assert _get(f"{server}/report/") == (200, "<h1>Weekly report</h1>")


def test_unknown_checks_and_paths_outside_the_reports_are_not_found(server: str) -> None:
    status, page = _get(f"{server}/checks/nope")
    assert status == 404 and "person_match" in page
    assert _get(f"{server}/report/../secret.html")[0] == 404
    assert _get(f"{server}/report/%2e%2e/secret.html")[0] == 404
    assert _get(f"{server}/report/checks/person_match.json")[0] == 404


def test_serve_on_a_taken_port_is_one_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    from orchestration.cli import main as revops

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        url = f"http://127.0.0.1:{taken.getsockname()[1]}"
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv("REVOPS_PAGES_URL", url)
            mp.setenv("REVOPS_REPORTS_DIR", str(tmp_path))
            assert revops(["serve"]) == 2
    err = capsys.readouterr().err
    assert (
        err.startswith(f"error: cannot serve the check pages on {url}")
        and "REVOPS_PAGES_URL" in err
    )
