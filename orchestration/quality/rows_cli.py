"""``revops check --rows RULE`` and ``revops serve``: a rule's offending rows for people.

``--rows`` reads what the rule's latest check stored (quality.dq_offending_rows, masked), not
the rule's view: the rows behind the verdict the UI and the report show, with that check's run
id and as_of. It does not run anything and opens the warehouse read-only.
"""

from __future__ import annotations

import sys
from typing import Any, TextIO

from orchestration.quality import history
from orchestration.quality.config import ChecksConfig, load_config
from orchestration.quality.offending import StoredRows, read_rows, table_exists
from orchestration.quality.pages import bind_address, check_url, make_server
from orchestration.quality.render import columns_of
from orchestration.settings import Settings
from orchestration.warehouse import connect

DEFAULT_LIMIT = 50
MAX_CELL = 60


class UnknownRuleError(ValueError):
    """--rows names no consistency rule; the message lists the valid names."""


def rule_name(config: ChecksConfig, name: str) -> str:
    """The rule ``name`` names, or an error listing every valid rule."""
    rules = [r.name for r in config.rules]
    if name in rules:
        return name
    hint = (
        " (a raw-table suite: its failed values are on its check page)"
        if any(s.name == name for s in config.suites)
        else ""
    )
    raise UnknownRuleError(
        f"unknown rule {name!r}{hint}; valid rules (expectations/checks.yml): {', '.join(rules)}"
    )


def latest_verdict(settings: Settings, rule: str) -> tuple[Any, ...] | None:
    """(run_id, data_as_of, status, observed_value) of the rule's latest check, or None."""
    marker = "?" if settings.target == "duckdb" else "%s"
    with connect(settings, read_only=settings.target == "duckdb") as con:
        cur = con.cursor()
        cur.execute(
            "select count(*) from information_schema.tables "
            f"where table_schema = '{history.SCHEMA}' and table_name = '{history.TABLE}'"
        )
        if not cur.fetchone()[0] or not table_exists(con):
            return None
        cur.execute(
            f"select run_id, data_as_of, status, observed_value from {history.SCHEMA}."
            f"{history.TABLE} where rule = {marker} order by checked_at desc limit 1",
            (rule,),
        )
        return cur.fetchone()


def _cell(value: Any) -> str:
    text = "-" if value is None else " ".join(str(value).split())
    return text if len(text) <= MAX_CELL else text[: MAX_CELL - 3] + "..."


def format_rows(stored: StoredRows, verdict: tuple[Any, ...] | None, limit: int | None) -> str:
    """A header (rule, count, run, as_of) and the rows as a plain-text table."""
    if verdict is None:
        return (
            f"{stored.rule}: no check of it is stored in this warehouse yet "
            "(`revops run` or `revops check` stores its offending rows)"
        )
    run_id, as_of, status, observed = verdict
    lines = [
        f"{stored.rule}: {stored.total} offending rows (status {status}, observed {observed}) "
        f"in its latest check: run {run_id}, data as of {as_of}"
    ]
    if stored.rows:
        columns = columns_of(stored.rows)
        table = [columns, *([_cell(row.get(c)) for c in columns] for row in stored.rows)]
        widths = [max(len(r[i]) for r in table) for i in range(len(columns))]
        lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in table]
    if limit is not None and stored.total > len(stored.rows):
        lines.append(f"showing {len(stored.rows)} of {stored.total}: --limit 0 shows all")
    lines.append("keys and masked values only (no raw email or name)")
    return "\n".join(lines)


def print_rows(settings: Settings, name: str, limit: int, out: TextIO | None = None) -> int:
    """Print a rule's stored offending rows (``limit`` 0: all); the exit code."""
    rule = rule_name(load_config(), name)
    stored = read_rows(settings, rule, limit or None)
    text = format_rows(stored, latest_verdict(settings, rule), limit or None)
    print(text, file=out or sys.stdout)
    return 0


def serve(settings: Settings) -> int:
    """Serve the check pages on REVOPS_PAGES_URL until interrupted."""
    host, port = bind_address(settings.pages_url)
    try:
        server = make_server(settings, host, port)
    except OSError as exc:  # the port is taken, the host is not this machine's
        raise RuntimeError(
            f"cannot serve the check pages on {settings.pages_url}: {exc.strerror or exc}; "
            "set REVOPS_PAGES_URL to a free port (for the runs too: the checks link there)"
        ) from exc
    print(
        f"serving the check pages on {settings.pages_url} (e.g. "
        f"{check_url(settings.pages_url, 'person_match')}); Ctrl-C stops",
        flush=True,
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0
