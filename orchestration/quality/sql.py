"""Rendering of the rule SQL files: a few named placeholders, nothing else.

Rule files are plain portable SQL (DuckDB and PostgreSQL) with ``{{ name }}`` placeholders for
values known only at run time: ``as_of`` (a timestamp expression), ``as_of_date`` and any option
of the rule in checks.yml (``{{ max_age_hours.raw_hubspot }}``). An unknown placeholder is an
error naming the rule, so a typo never turns into a silently passing check.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from orchestration.quality.config import CheckConfig

PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_.]*)\s*\}\}")


class RuleSqlError(ValueError):
    """A rule's SQL file cannot be rendered."""


def as_of_datetime(as_of: str) -> datetime:
    """The run's "now": settings.as_of (ISO date or timestamp, UTC) or the current time."""
    if not as_of.strip():
        return datetime.now(UTC).replace(tzinfo=None, microsecond=0)
    parsed = datetime.fromisoformat(as_of.strip().replace("Z", "+00:00"))
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(UTC).replace(tzinfo=None)
    return parsed


def _flatten(prefix: str, value: Any, out: dict[str, Any]) -> None:
    if isinstance(value, dict):
        for k, v in value.items():
            _flatten(f"{prefix}.{k}" if prefix else str(k), v, out)
    else:
        out[prefix] = value


def _literal(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    return "'" + str(value).replace("'", "''") + "'"


def parameters(check: CheckConfig, as_of: datetime) -> dict[str, str]:
    """The SQL text of every placeholder a rule may use."""
    params: dict[str, str] = {
        "as_of": f"cast('{as_of.isoformat(sep=' ')}' as timestamp)",
        "as_of_date": f"cast('{as_of.date().isoformat()}' as date)",
    }
    flat: dict[str, Any] = {}
    _flatten("", check.options, flat)
    params.update({k: _literal(v) for k, v in flat.items()})
    return params


def render(check: CheckConfig, as_of: datetime) -> str:
    """The SQL of a rule with its placeholders filled in."""
    try:
        text = check.sql_path.read_text()
    except OSError as exc:
        raise RuleSqlError(f"rule {check.name}: cannot read {check.sql_path}: {exc}") from exc
    params = parameters(check, as_of)

    def substitute(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in params:
            raise RuleSqlError(
                f"rule {check.name}: unknown placeholder {{{{ {name} }}}} in {check.sql_path.name}"
                f" (known: {', '.join(sorted(params))})"
            )
        return params[name]

    sql = PLACEHOLDER.sub(substitute, text).strip().rstrip(";")
    return sql
