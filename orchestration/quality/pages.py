"""The check pages: each check's latest verdict and offending rows, served over HTTP.

What an operator expects from a check in the Dagster UI is a link that opens its rows. The UI
cannot serve files and a browser will not follow a ``file://`` link from an ``http://`` page, so
revops serves the pages itself: ``revops serve`` (started beside ``dagster dev`` by ``make ui``)
listens on REVOPS_PAGES_URL (default http://127.0.0.1:3001) and shows

* ``/``: every check's latest verdict, with links;
* ``/checks/<check>``: one check: status, counts, run id and as_of, the failed expectations and
  the offending rows (first PAGE_ROWS, masked, with their total and the command for all);
* ``/report/``: the weekly report (reports/weekly_report.html and its charts).

The pages replace Great Expectations' data docs, which loaded their styles from CDNs. They are
plain HTML with inline styles: they render offline. The runner writes one JSON file per check
(<reports_dir>/checks/<check>.json) when it judges it, and the server renders from these files,
never from the warehouse: a DuckDB file being written by a run cannot be opened by another
process, and the pages must open during a run.
"""

from __future__ import annotations

import html
import json
import os
import re
import tempfile
from collections.abc import Sequence
from datetime import datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from orchestration.quality.render import columns_of
from orchestration.quality.result import CheckResult
from orchestration.settings import Settings

PAGES_DIRNAME = "checks"
PAGE_ROWS = 500
REPORT_FILE = "weekly_report.html"
NAME = re.compile(r"^[A-Za-z0-9_]+$")
STYLE = """
body{font-family:system-ui,sans-serif;margin:2rem;color:#1f2933;max-width:80rem}
table{border-collapse:collapse;font-size:.85rem;margin:.5rem 0}
th,td{border:1px solid #cbd2d9;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#f0f4f8}.PASS{color:#1b7f3b}.WARN{color:#b7791f}.FAIL{color:#c53030}
.NA{color:#616e7c}code{background:#f0f4f8;padding:0 .25rem}
"""


def pages_dir(settings: Settings) -> Path:
    """Where the runner keeps one JSON file per check: <reports_dir>/checks."""
    return settings.reports_dir / PAGES_DIRNAME


def check_url(pages_url: str, check: str) -> str:
    """The page of one check."""
    return f"{pages_url.rstrip('/')}/checks/{check}"


def rows_command(check: str) -> str:
    """The command printing a rule's offending rows."""
    return f"revops check --rows {check}"


def _iso(value: datetime | None) -> str | None:
    return value.isoformat(sep=" ") if value else None


def page_data(
    result: CheckResult, run_id: str, checked_at: datetime, data_as_of: datetime | None
) -> dict[str, Any]:
    """What a check's page shows (the rows are masked already: CheckResult holds no raw PII)."""
    return {
        "check": result.rule,
        "kind": result.kind,
        "status": result.status,
        "severity": result.severity,
        "observed_value": result.observed_value,
        "threshold": result.threshold,
        "unexpected_count": result.unexpected_count,
        "description": result.description,
        "details": result.details,
        "error": result.error,
        "asset": "/".join(result.asset),
        "run_id": run_id,
        "checked_at": _iso(checked_at),
        "data_as_of": _iso(data_as_of),
        "total_rows": len(result.offending_rows) if result.kind == "rule" else None,
        "rows": result.offending_rows[:PAGE_ROWS] if result.kind == "rule" else result.sample_rows,
        "command": rows_command(result.rule) if result.kind == "rule" else None,
    }


def write_pages(
    settings: Settings,
    results: Sequence[CheckResult],
    run_id: str,
    checked_at: datetime,
    data_as_of: datetime | None,
) -> None:
    """One JSON file per check, each replaced whole (a reader never sees half a file)."""
    folder = pages_dir(settings)
    folder.mkdir(parents=True, exist_ok=True)
    for result in results:
        data = page_data(result, run_id, checked_at, data_as_of)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(data, out, default=str, ensure_ascii=False)
        os.replace(tmp, folder / f"{result.rule}.json")


def load_pages(folder: Path) -> dict[str, dict[str, Any]]:
    """check name -> its page data (files that do not parse are skipped)."""
    pages: dict[str, dict[str, Any]] = {}
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        try:
            pages[path.stem] = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
    return pages


def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value))


def _table(rows: Sequence[dict[str, Any]]) -> str:
    if not rows:
        return "<p>No offending rows.</p>"
    columns = columns_of(rows)
    head = "".join(f"<th>{_e(c)}</th>" for c in columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{_e(row.get(c))}</td>" for c in columns) + "</tr>" for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _document(title: str, body: str) -> str:
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{_e(title)}</title><style>{STYLE}</style></head><body>{body}</body></html>"
    )


def _status(page: dict[str, Any]) -> str:
    status = str(page.get("status"))
    return f'<span class="{"NA" if status == "N/A" else _e(status)}">{_e(status)}</span>'


def render_index(pages: dict[str, dict[str, Any]]) -> str:
    """Every check's latest verdict, rules first."""
    ordered = sorted(pages.values(), key=lambda p: (p.get("kind") != "rule", p["check"]))
    rows = "".join(
        f'<tr><td><a href="/checks/{_e(p["check"])}">{_e(p["check"])}</a></td>'
        f"<td>{_status(p)}</td><td>{_e(p.get('severity'))}</td>"
        f"<td>{_e(p.get('observed_value'))}</td><td>{_e(p.get('threshold'))}</td>"
        f"<td>{_e(p.get('data_as_of'))}</td><td>{_e(p.get('description'))}</td></tr>"
        for p in ordered
    )
    body = (
        "<h1>revops data quality checks</h1>"
        '<p>The latest verdict of every check. <a href="/report/">Weekly report</a></p>'
        "<table><thead><tr><th>check</th><th>status</th><th>severity</th><th>observed</th>"
        f"<th>threshold</th><th>as of</th><th>what it checks</th></tr></thead><tbody>{rows}"
        "</tbody></table>"
        if pages
        else "<h1>revops data quality checks</h1><p>No check has run yet: <code>revops run"
        "</code> or <code>revops check</code> writes the pages.</p>"
    )
    return _document("revops checks", body)


def render_check(page: dict[str, Any]) -> str:
    """One check: its verdict, what failed and its offending rows."""
    name = page["check"]
    facts = "".join(
        f"<tr><th>{_e(label)}</th><td>{_e(page.get(key))}</td></tr>"
        for label, key in (
            ("guards", "asset"),
            ("severity", "severity"),
            ("observed", "observed_value"),
            ("threshold", "threshold"),
            ("run id", "run_id"),
            ("data as of", "data_as_of"),
            ("checked at (UTC)", "checked_at"),
        )
    )
    parts = [
        f'<p><a href="/">All checks</a></p><h1>{_e(name)} {_status(page)}</h1>',
        f"<p>{_e(page.get('description'))}</p><table>{facts}</table>",
    ]
    if page.get("error"):
        parts.append(f"<h2>Error</h2><p>{_e(page['error'])}</p>")
    if page.get("details"):
        items = "".join(f"<li>{_e(d)}</li>" for d in page["details"])
        parts.append(f"<h2>Failed expectations</h2><ul>{items}</ul>")
    rows = page.get("rows") or []
    if page.get("kind") == "rule":
        total = int(page.get("total_rows") or 0)
        shown = f"the first {len(rows)} of {total}" if total > len(rows) else f"all {total}"
        parts.append(
            f'<h2 id="offending-rows">Offending rows ({total})</h2>'
            f"<p>Showing {shown}; keys and masked values (no raw email or name). All of them: "
            f"<code>{_e(page.get('command'))} --limit 0</code>, or the table "
            "<code>quality.dq_offending_rows</code>.</p>" + _table(rows)
        )
    elif rows:
        parts.append('<h2 id="offending-rows">Unexpected values</h2>' + _table(rows))
    return _document(f"{name}: revops check", "".join(parts))


class PagesHandler(BaseHTTPRequestHandler):
    """GET only: the index, a check's page, the weekly report's files."""

    settings: Settings

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: one line per request would drown the console of ``make ui``."""

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def _html(self, status: int, text: str) -> None:
        self._send(status, text.encode("utf-8"), "text/html; charset=utf-8")

    def do_GET(self) -> None:
        path = unquote(urlsplit(self.path).path)
        pages = load_pages(pages_dir(self.settings))
        if path in ("/", "/checks", "/checks/"):
            return self._html(HTTPStatus.OK, render_index(pages))
        if path.startswith("/checks/"):
            name = path.removeprefix("/checks/").strip("/")
            if name in pages:
                return self._html(HTTPStatus.OK, render_check(pages[name]))
            known = ", ".join(sorted(pages)) or "none yet"
            return self._html(
                HTTPStatus.NOT_FOUND,
                _document("unknown check", f"<p>No check named {_e(name)} (known: {known}).</p>"),
            )
        if path == "/report" or path.startswith("/report/"):
            return self._report(path.removeprefix("/report").strip("/") or REPORT_FILE)
        return self._html(HTTPStatus.NOT_FOUND, _document("not found", "<p>Not found.</p>"))

    def _report(self, name: str) -> None:
        root = self.settings.reports_dir.resolve()
        target = (root / name).resolve()
        types = {".html": "text/html; charset=utf-8", ".png": "image/png", ".md": "text/plain"}
        if not target.is_relative_to(root) or target.suffix not in types or not target.is_file():
            return self._html(HTTPStatus.NOT_FOUND, _document("not found", "<p>Not found.</p>"))
        return self._send(HTTPStatus.OK, target.read_bytes(), types[target.suffix])


def make_server(settings: Settings, host: str, port: int) -> ThreadingHTTPServer:
    """The pages server bound to host:port (port 0: any free port)."""
    handler = type("Handler", (PagesHandler,), {"settings": settings})
    return ThreadingHTTPServer((host, port), handler)


def bind_address(pages_url: str) -> tuple[str, int]:
    """host and port to listen on, from REVOPS_PAGES_URL."""
    parts = urlsplit(pages_url)
    if parts.scheme != "http" or not parts.hostname:
        raise ValueError(f"REVOPS_PAGES_URL={pages_url!r}: expected http://host:port")
    return parts.hostname, parts.port or 80
