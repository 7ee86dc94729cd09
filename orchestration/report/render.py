"""Rendering the sections with the Jinja2 templates in orchestration/report/templates/."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

TEMPLATES = Path(__file__).with_name("templates")


def _md_escape(text: object) -> str:
    """A table cell for Markdown: pipes escaped, no line breaks."""
    return str(text).replace("|", "\\|").replace("\n", " ")


def environment() -> Environment:
    """HTML templates autoescape; the Markdown template escapes table cells itself."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(enabled_extensions=("html.j2",), default=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = _md_escape
    return env


def render(template: str, context: dict[str, Any]) -> str:
    """Render one template of the templates folder."""
    return environment().get_template(template).render(**context)
