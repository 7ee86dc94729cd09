"""The weekly report: periods, number formats, rendering from the demo marts, missing marts."""

from __future__ import annotations

import re
import shutil
from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest
import yaml

from orchestration.quality.runner import format_results, run_suites
from orchestration.report import generate_report, write_report
from orchestration.report.build import ReportResult
from orchestration.report.formatting import change, fmt, unit_of
from orchestration.report.periods import report_period
from orchestration.report.sections import all_reads, dbt_reads
from orchestration.run_settings import resolve_as_of
from orchestration.settings import Settings
from tests.conftest import PROJECT_DIR
from tests.ops.demo_build import DemoBuild

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def test_last_week_is_the_last_complete_week_before_as_of() -> None:
    thursday = report_period(datetime(2026, 1, 1))  # the demo as_of, a Thursday
    assert thursday.last_week_start == date(2025, 12, 22)
    assert thursday.last_week_end == date(2025, 12, 29)
    assert thursday.week_before_start == date(2025, 12, 15)
    assert thursday.trend_start == date(2025, 10, 6)  # 12 weeks
    monday = report_period(datetime(2025, 12, 29))  # the week 22-28 Dec just ended
    assert monday.last_week_start == date(2025, 12, 22)
    sunday_night = report_period(datetime(2025, 12, 28, 23, 59, 59))  # not complete yet
    assert sunday_night.last_week_start == date(2025, 12, 15)


def test_number_formats() -> None:
    assert unit_of("pipeline_created_usd") == "money"
    assert unit_of("sla_compliance_rate") == "percent"
    assert unit_of("roas") == "multiple"
    assert unit_of("median_speed_to_lead_hours") == "hours"
    assert fmt(0.853, "percent") == "85.3%"
    assert fmt(1_250_000, "money") == "$1.25M"
    assert fmt(None, "count") == "–"
    assert change(110, 100) == "+10.0%"
    assert change(5, 0) == "new"


def _check_rendered(html: Path, markdown: Path) -> None:
    text = html.read_text()
    images = re.findall(r'<img src="([^"]+)"', text)
    assert len(images) == 6, images  # scorecard trends, funnel, channels, pipeline, SLA, quality
    for src in images:
        png = html.parent / src
        assert png.read_bytes()[:8] == PNG_MAGIC, png
        assert png.stat().st_size > 10_000, png  # a drawn chart, not an empty canvas
    md = markdown.read_text()
    assert sorted(re.findall(r"!\[[^\]]*\]\(([^)]+)\)", md)) == sorted(images)


@pytest.mark.slow
def test_money_axis_ticks_stay_distinct() -> None:
    from orchestration.report.charts import _money

    ticks = [0, 250, 1_000, 1_250, 1_500, 2_000, 999_000, 1_000_000, 1_500_000]
    labels = [_money(t) for t in ticks]
    assert len(set(labels)) == len(labels), labels
    assert labels[3] == "$1.25k" and labels[-1] == "$1.5M"


def test_money_is_written_in_the_reporting_currency(tmp_path: Path) -> None:
    from orchestration.money import project_reporting_currency
    from orchestration.report.charts import _money
    from orchestration.report.formatting import report_currency

    (tmp_path / "dbt_project.yml").write_text("name: x\nvars:\n  reporting_currency: eur\n")
    assert project_reporting_currency(tmp_path) == "EUR"
    assert project_reporting_currency(PROJECT_DIR) == "USD"  # the project's default
    with report_currency("EUR"):
        assert fmt(1_250_000, "money") == "€1.25M"
        assert _money(1_250) == "€1.25k"
    with report_currency("CHF"):
        assert fmt(-12_345, "money") == "-CHF 12.3k"
    assert fmt(-12_345, "money") == "-$12.3k"


def test_report_renders_from_the_demo_warehouse(demo_build: DemoBuild, tmp_path: Path) -> None:
    settings = demo_build.settings.with_(reports_dir=tmp_path / "reports")
    result = generate_report(settings, resolve_as_of(settings.as_of))
    assert result.unavailable == [], [s.notes for s in result.sections if not s.available]
    assert result.html == settings.reports_dir / "weekly_report.html"
    _check_rendered(result.html, result.markdown)
    html = result.html.read_text()
    for title in (
        "What changed and what to look at",
        "Scorecard",
        "Funnel by stage",
        "Channels: CAC, ROAS and attribution",
        "Pipeline and bookings trend",
        "Sales reps",
        "Speed to lead and SLA",
        "Data quality",
    ):
        assert title in html
    assert "22 Dec – 28 Dec 2025" in html  # last week for as_of 2026-01-01
    assert "Against target" in html and "Not available" not in html
    assert write_report(settings, resolve_as_of(settings.as_of)) == result.html
    _check_lineage(result)
    _check_scorecard_trends(result, demo_build)
    _check_channels(result, demo_build)
    _check_summary(result, demo_build)
    _check_reps(result, demo_build)
    assert "amounts in USD (the reporting currency)" in html and "$" in html


def test_report_writes_amounts_in_the_reporting_currency(
    demo_build: DemoBuild, tmp_path: Path
) -> None:
    """A project reporting in EUR (dbt var reporting_currency) gets a report in euros: the
    marts hold EUR amounts then, and no figure may carry a dollar sign."""
    project = tmp_path / "project"
    project.mkdir()
    config = yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text())
    config["vars"]["reporting_currency"] = "EUR"
    (project / "dbt_project.yml").write_text(yaml.safe_dump(config))
    settings = demo_build.settings.with_(reports_dir=tmp_path / "reports", project_dir=project)
    result = generate_report(settings, resolve_as_of(settings.as_of))
    html = result.html.read_text()
    assert "amounts in EUR (the reporting currency)" in html
    assert "€" in html and "$" not in html
    assert "$" not in result.markdown.read_text()


def _check_lineage(result: ReportResult) -> None:
    """The report reads exactly the marts its sections declare, and the dbt exposure lists
    exactly the dbt ones: a section that starts reading another mart must say so."""
    assert result.read == all_reads()
    exposures = yaml.safe_load((PROJECT_DIR / "models" / "exposures.yml").read_text())
    report = next(e for e in exposures["exposures"] if e["name"] == "weekly_alignment_report")
    declared = sorted(re.fullmatch(r"ref\('(\w+)'\)", d).group(1) for d in report["depends_on"])
    assert declared == dbt_reads()


def _check_scorecard_trends(result: ReportResult, demo_build: DemoBuild) -> None:
    """The trend chart shows the scorecard's stored values, week by week, for every KPI."""
    section = next(s for s in result.sections if s.key == "scorecard")
    chart = next(c for c in section.charts if c.kind == "trends")
    weeks = chart.data["weeks"]
    assert len(weeks) == 12 and weeks[-1] == result.period.last_week_start
    con = duckdb.connect(str(demo_build.settings.duckdb_path), read_only=True)
    try:
        stored = {
            (week, name): (value, target)
            for week, name, value, target in con.execute(
                "select week_start, metric_name, metric_value, target_value "
                "from marts.kpi_weekly_scorecard"
            ).fetchall()
        }
    finally:
        con.close()
    names = {name for _, name in stored}
    assert {p["name"] for p in chart.data["panels"]} == names
    for panel in chart.data["panels"]:
        for week, value, target in zip(weeks, panel["values"], panel["targets"], strict=True):
            expected = stored.get((week, panel["name"]), (None, None))
            assert (value, target) == pytest.approx(expected), (panel["name"], week)


def _check_channels(result: ReportResult, demo_build: DemoBuild) -> None:
    """A channel without ad spend shows no CAC, and the ROAS basis is named."""
    section = next(s for s in result.sections if s.key == "channels")
    table = section.tables[0]
    spend, cac = table.headers.index("Ad spend"), table.headers.index("CAC")
    unpaid = [row for row in table.rows if row[spend].text in ("$0", "–")]
    assert unpaid, "the demo has channels without spend (organic, direct)"
    assert all(row[cac].text == "–" for row in unpaid)
    assert any(h.startswith("Attributed revenue (linear") for h in table.headers)
    # every model side by side with its 90% interval, the default (marketing) scope; the
    # paid channels' ROAS per model in both scopes
    intervals = next(t for t in section.tables if "kpi_channel_attribution_intervals" in t.caption)
    assert "marketing touches" in intervals.caption
    assert {"Markov", "Shapley", "Linear"} <= set(intervals.headers)
    shares = [c.text for row in intervals.rows for c in row[1:] if c.text != "–"]
    assert shares and all("(" in text and "%" in text for text in shares)
    # the Shapley share of the deals the channels added, with its own (re-fitted) interval
    shapley = next(
        t for t in section.tables if t.caption.startswith("marts.fct_attribution_channel_effects")
    )
    assert "marketing touches" in shapley.caption
    texts = {row[0].text: row[1].text for row in shapley.rows}
    # a channel on none of the deals the model learns from says so; every other one has a
    # share with its interval
    unlearnt = {
        str(channel)
        for (channel,) in _query(
            demo_build,
            "select channel from marts.fct_attribution_channel_effects "
            "where scope = 'marketing' and learning_journey_count = 0",
        )
    }
    assert set(texts) - unlearnt
    for channel, text in texts.items():
        if channel in unlearnt:
            assert text == "no evidence: on none of the deals learnt from", channel
        else:
            assert "(" in text and "%" in text, (channel, text)
    scopes = next(
        t for t in section.tables if t.caption.startswith("marts.kpi_channel_attribution,")
    )
    assert {row[1].text for row in scopes.rows} == {"marketing", "full funnel"}


def _query(demo_build: DemoBuild, sql: str) -> list[tuple]:
    con = duckdb.connect(str(demo_build.settings.duckdb_path), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _check_summary(result: ReportResult, demo_build: DemoBuild) -> None:
    """The summary names last week's largest move first, and the open findings of the latest
    quality run with their count, as read here straight from the warehouse."""
    section = next(s for s in result.sections if s.key == "summary")
    week = result.period.last_week_start
    (largest,) = _query(
        demo_build,
        "select metric_label, wow_change_pct from marts.kpi_weekly_scorecard "
        f"where week_start = date '{week}' and wow_change_pct is not null "
        "order by abs(wow_change_pct) desc limit 1",
    )
    direction = "up" if largest[1] > 0 else "down"
    assert section.points[0].startswith(f"{largest[0]} {direction} {abs(largest[1]) * 100:.1f}%")
    ((failed, checks),) = _query(
        demo_build,
        "select count(distinct case when not success then rule end), count(distinct rule) "
        "from quality.dq_check_results where run_id = (select run_id from "
        "quality.dq_check_results order by checked_at desc limit 1)",
    )
    assert failed > 0, "the demo breaks rules on purpose"
    assert f"{failed} of {checks} checks did not pass" in section.points[-1]
    assert any(p.startswith("Off target") for p in section.points)


def _check_reps(result: ReportResult, demo_build: DemoBuild) -> None:
    """The per-rep table shows owners by name, the one who won most in the month first (as
    fct_opportunities and dim_owner say, read here directly)."""
    section = next(s for s in result.sections if s.key == "reps")
    table = section.tables[0]
    month = date(result.period.last_week_start.year, result.period.last_week_start.month, 1)
    ((top,),) = _query(
        demo_build,
        "select o.owner_name from marts.fct_opportunities as f "
        "inner join marts.dim_owner as o on o.owner_id = f.owner_id "
        f"where f.is_won and date_trunc('month', f.close_date) = date '{month}' "
        "group by o.owner_name order by sum(f.amount_usd) desc limit 1",
    )
    assert table.headers[0] == "Rep"
    assert table.rows[0][0].text == top
    names = {name for (name,) in _query(demo_build, "select owner_name from marts.dim_owner")}
    assert len(table.rows) >= 3  # the test demo is small (scale 0.03)
    assert all(row[0].text in names for row in table.rows)


@pytest.mark.slow
def test_report_quality_section_equals_revops_check(demo_build: DemoBuild, tmp_path: Path) -> None:
    """What `revops check` prints for a run (its table and counts line) and what the report's
    quality section shows for that run agree: the same counts, the same checks that did not
    pass, with the same status and offending rows."""
    copy = tmp_path / demo_build.settings.duckdb_path.name  # same name: same DuckDB catalog
    shutil.copy(demo_build.settings.duckdb_path, copy)
    settings = demo_build.settings.with_(duckdb_path=copy, reports_dir=tmp_path / "reports")
    as_of = resolve_as_of(settings.as_of)
    # the rule models were built by the demo run with this as_of: no dbt run needed
    results = run_suites(settings, as_of=as_of, write_check_pages=False, build_rules=False)
    printed = format_results(results).splitlines()
    counts = next(line for line in printed if re.match(r"\d+ checks: ", line))
    section = next(s for s in generate_report(settings, as_of).sections if s.key == "quality")
    assert section.notes[0].endswith(f": {counts}."), (section.notes[0], counts)
    not_passed = sorted(
        (
            r.rule,
            r.status,
            fmt(
                r.unexpected_count if r.unexpected_count is not None else r.observed_value, "count"
            ),
        )
        for r in results
        if r.status in ("WARN", "FAIL")
    )
    assert not_passed, "the demo breaks rules on purpose"
    shown = sorted((row[0].text, row[2].text, row[3].text) for row in section.tables[0].rows)
    assert shown == not_passed
    for rule, status, _ in not_passed:  # and each is a line of the printed table
        assert any(line.startswith(status) and f" {rule} " in line for line in printed), rule


@pytest.mark.slow
def test_report_says_which_mart_is_missing(demo_build: DemoBuild, tmp_path: Path) -> None:
    copy = tmp_path / "warehouse.duckdb"
    shutil.copy(demo_build.settings.duckdb_path, copy)
    con = duckdb.connect(str(copy))
    con.execute("drop table marts.kpi_channel_performance")
    con.execute("drop table marts.kpi_weekly_scorecard")
    con.close()
    settings = demo_build.settings.with_(duckdb_path=copy, reports_dir=tmp_path / "reports")
    result = generate_report(settings, resolve_as_of(settings.as_of))
    # pipeline, SLA and the summary read their weekly KPIs from the scorecard
    assert sorted(result.unavailable) == ["channels", "pipeline", "scorecard", "sla", "summary"]
    assert result.missing_tables == ["marts.kpi_channel_performance", "marts.kpi_weekly_scorecard"]
    html = result.html.read_text()
    assert "Not available: table marts.kpi_channel_performance does not exist" in html
    assert "Not available: table marts.kpi_weekly_scorecard does not exist" in html
    assert len(re.findall(r"<img ", html)) == 2  # funnel and quality keep their charts
    assert "table marts.kpi_channel_performance does not exist" in result.markdown.read_text()


def test_report_on_an_empty_warehouse_names_every_missing_mart(ops_settings: Settings) -> None:
    con = duckdb.connect(str(ops_settings.duckdb_path))
    con.execute("create schema marts")
    con.close()
    result = generate_report(ops_settings, resolve_as_of(ops_settings.as_of))
    assert len(result.unavailable) == len(result.sections) == 8
    assert result.charts == []
    html = result.html.read_text()
    for table in (
        "kpi_weekly_scorecard",
        "dim_person",
        "kpi_channel_performance",
        "fct_opportunities",
        "fct_lead_follow_up",
        "kpi_sales_rep_monthly",
    ):
        assert f"table marts.{table} does not exist" in html
    # a technical table, outside the marts (orchestration/quality/history.py)
    assert "table quality.dq_check_results does not exist" in html
