"""Markdown for people: the sample rows of a check as a table (Dagster metadata, alerts)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

MAX_CELL = 60


def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    text = text.replace("|", "\\|").replace("\n", " ")
    return text if len(text) <= MAX_CELL else text[: MAX_CELL - 3] + "..."


def columns_of(rows: Sequence[dict[str, Any]]) -> list[str]:
    """The keys of dict rows, in first-seen order: the columns of a table of them."""
    return list(dict.fromkeys(c for row in rows for c in row))


def markdown_table(rows: Sequence[dict[str, Any]]) -> str:
    """A Markdown table of dict rows (columns in first-seen order); a note when empty."""
    if not rows:
        return "_no offending rows_"
    columns = columns_of(rows)
    lines = [
        "| " + " | ".join(_cell(c) for c in columns) + " |",
        "|" + "|".join(" --- " for _ in columns) + "|",
    ]
    lines += ["| " + " | ".join(_cell(row.get(c)) for c in columns) + " |" for row in rows]
    return "\n".join(lines)
