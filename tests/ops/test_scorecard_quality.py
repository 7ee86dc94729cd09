"""The scorecard's dq_failures row follows the data the quality run checked, not the clock:
a run reports on the last complete week before its as_of, the week the report shows."""

from __future__ import annotations

from datetime import date

import duckdb

from orchestration.report.periods import report_period
from orchestration.run_settings import resolve_as_of
from tests.ops.demo_build import DemoBuild


def test_quality_run_counts_in_the_week_the_report_shows(demo_build: DemoBuild) -> None:
    """The demo checks data as of 2026-01-01 (the demo breaks rules on purpose), long before the
    wall clock: its failures belong to the last complete week before that as_of (the report's
    "last week") and to no other week."""
    as_of = resolve_as_of(demo_build.settings.as_of)
    as_of_week = date.fromordinal(as_of.date().toordinal() - as_of.weekday())
    reported_week = report_period(as_of).last_week_start
    assert reported_week == date.fromordinal(as_of_week.toordinal() - 7)
    con = duckdb.connect(str(demo_build.settings.duckdb_path), read_only=True)
    try:
        recorded = con.execute(
            "select distinct data_as_of from quality.dq_check_results where run_id = ?",
            [demo_build.run_id],
        ).fetchall()
        failed = con.execute(
            "select count(*) from quality.dq_check_results where run_id = ? and not success",
            [demo_build.run_id],
        ).fetchone()[0]
        weeks = con.execute(
            "select week_start, metric_value from marts.kpi_weekly_scorecard "
            "where metric_name = 'dq_failures' and metric_value is not null"
        ).fetchall()
    finally:
        con.close()
    assert recorded == [(as_of,)]
    assert failed > 0, "the demo breaks rules on purpose: its run must record failures"
    assert [w for w, _ in weeks] == [reported_week], weeks
    # the scorecard is built mid-run (after the core checks, before those on the KPI marts)
    assert 0 < weeks[0][1] <= failed
