"""What the templates render: sections of small tables, notes and one chart each."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Cell:
    """One table cell: its text and an optional CSS class (good/bad/muted)."""

    text: str
    css: str = ""


@dataclass
class Table:
    """A small table for people: a caption, headers and formatted rows."""

    caption: str
    headers: list[str]
    rows: list[list[Cell]] = field(default_factory=list)


@dataclass
class Chart:
    """A chart the section draws: the chart kind and the numbers it needs."""

    kind: str
    title: str
    data: dict[str, Any]
    path: str | None = None  # relative to the report folder, set once drawn


@dataclass
class Section:
    """One section of the report. ``missing`` names the marts that were not there."""

    key: str
    title: str
    reads: tuple[str, ...]
    intro: str = ""
    missing: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    points: list[str] = field(default_factory=list)  # bullet points (the summary)
    schema_of: dict[str, str] = field(default_factory=dict)  # a read outside the marts schema

    @property
    def available(self) -> bool:
        return bool(self.tables or self.charts or self.points)

    @property
    def sources(self) -> list[str]:
        """The qualified names of what the section reads."""
        return [f"{self.schema_of.get(t, 'marts')}.{t}" for t in self.reads]

    def not_available(self, reason: str) -> Section:
        """Mark the section as not available, saying why (the templates show the reason)."""
        self.notes.insert(0, f"Not available: {reason}")
        return self
