"""write_report: the weekly alignment report from the marts to reports/weekly_report.{html,md}."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from orchestration.money import project_reporting_currency
from orchestration.report.charts import draw
from orchestration.report.formatting import report_currency
from orchestration.report.marts import MartReader
from orchestration.report.model import Section
from orchestration.report.periods import ReportPeriod, report_period
from orchestration.report.render import render
from orchestration.report.sections import build_sections
from orchestration.settings import Settings
from orchestration.warehouse import connect

HTML_NAME = "weekly_report.html"
MARKDOWN_NAME = "weekly_report.md"
CHARTS_DIR = "weekly_report_charts"
TITLE = "Weekly sales and marketing alignment report"


@dataclass
class ReportResult:
    """What was written: the files, and which sections were available."""

    html: Path
    markdown: Path
    charts: list[Path]
    period: ReportPeriod
    sections: list[Section]
    read: list[str]  # the marts the sections queried

    @property
    def unavailable(self) -> list[str]:
        return [s.key for s in self.sections if not s.available]

    @property
    def missing_tables(self) -> list[str]:
        return sorted({t for s in self.sections for t in s.missing})


def _warehouse_name(settings: Settings) -> str:
    if settings.target == "duckdb":
        return f"DuckDB {settings.duckdb_path.name}"
    if settings.target == "spark":
        from orchestration.spark import location

        return f"Spark {location(settings)}"
    pg = settings.postgres
    return f"PostgreSQL {pg.host}:{pg.port}/{pg.database}"


def generate_report(settings: Settings, as_of: datetime) -> ReportResult:
    """Read the marts, draw the charts, render HTML and Markdown into settings.reports_dir,
    for the weeks before ``as_of`` (the run's as_of, naive UTC)."""
    period = report_period(as_of)
    currency = project_reporting_currency(settings.project_dir)
    # every amount of the marts is in the reporting currency: numbers and chart axes say which
    with report_currency(currency):
        return _generate(settings, period, currency)


def _generate(settings: Settings, period: ReportPeriod, currency: str) -> ReportResult:
    with connect(settings, read_only=settings.target == "duckdb") as con:
        reader = MartReader(con)
        sections = build_sections(reader, period)
    out = settings.reports_dir
    charts_dir = out / CHARTS_DIR
    out.mkdir(parents=True, exist_ok=True)
    for old in charts_dir.glob("*.png") if charts_dir.is_dir() else []:
        old.unlink()  # no stale chart of a section that is not available any more
    charts = []
    for section in sections:
        for i, chart in enumerate(section.charts):
            name = re.sub(r"[^a-z0-9_]+", "_", f"{section.key}_{i}" if i else section.key)
            charts.append(draw(chart, charts_dir, name))
    context = {
        "title": TITLE,
        "period": period,
        "sections": sections,
        "warehouse": _warehouse_name(settings),
        "generated_at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "currency": currency,
    }
    html = out / HTML_NAME
    markdown = out / MARKDOWN_NAME
    html.write_text(render("weekly_report.html.j2", context), encoding="utf-8")
    markdown.write_text(render("weekly_report.md.j2", context), encoding="utf-8")
    return ReportResult(html, markdown, charts, period, sections, sorted(reader.read))


def write_report(settings: Settings, as_of: datetime) -> Path:
    """Write the weekly report; return the path of the HTML file."""
    return generate_report(settings, as_of).html
