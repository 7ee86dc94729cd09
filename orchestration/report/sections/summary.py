"""The summary on top: last week's largest moves, the KPIs off target and the open
data-quality findings, in a few sentences generated from stored values only."""

from __future__ import annotations

import pandas as pd

from orchestration.quality.history import SCHEMA as QUALITY_SCHEMA
from orchestration.quality.history import TABLE as CHECKS
from orchestration.report.formatting import as_float, fmt, label, unit_of
from orchestration.report.marts import MartReader
from orchestration.report.model import Section
from orchestration.report.periods import ReportPeriod
from orchestration.report.sections.common import SCORECARD, report_section, scorecard_last_week

READS = (SCORECARD, CHECKS)  # the marts the section reads (the check history is not dbt's)
COLUMNS = ("week_start", "metric_name", "metric_value", "previous_value", "wow_change_pct")
TOP_MOVES = 3  # the largest week-over-week changes named
TOP_FINDINGS = 3  # the checks with most offending rows named


@report_section(
    "summary",
    "What changed and what to look at",
    "Generated from the scorecard's stored week-over-week changes and targets, and from the "
    "latest run of the data-quality checks.",
    READS,
    requires={SCORECARD: COLUMNS},
    schema_of={CHECKS: QUALITY_SCHEMA},
)
def summary_section(section: Section, reader: MartReader, period: ReportPeriod) -> Section:
    _, week = scorecard_last_week(reader, period)
    if week.empty:
        section.notes.append(
            f"The scorecard has no row for the week of {period.last_week_start:%d %b %Y}."
        )
    else:
        section.points.extend(moves(week))
        section.points.append(off_target(week))
    section.points.append(findings(reader.in_schema(QUALITY_SCHEMA)))
    return section


def _name(row: dict) -> str:
    return str(row.get("metric_label") or label(str(row["metric_name"])))


def moves(week: pd.DataFrame) -> list[str]:
    """The KPIs with the largest relative change against the week before, largest first."""
    week = week.assign(size=pd.to_numeric(week["wow_change_pct"], errors="coerce").abs())
    moved = week[week["size"] > 0].sort_values("size", ascending=False).head(TOP_MOVES)
    out = []
    for row in moved.to_dict("records"):
        unit = unit_of(str(row["metric_name"]))
        pct = as_float(row["wow_change_pct"]) or 0.0
        direction = "up" if pct > 0 else "down"
        better = row.get("is_higher_better")
        verdict = ""
        if better is not None and not pd.isna(better):
            good = (pct > 0) == bool(better)
            verdict = " (better)" if good else " (worse)"
        out.append(
            f"{_name(row)} {direction} {abs(pct) * 100:.1f}%{verdict}: "
            f"{fmt(row['metric_value'], unit)} against {fmt(row['previous_value'], unit)} "
            "the week before."
        )
    if not out:
        out.append("No scorecard KPI changed against the week before.")
    return out


def off_target(week: pd.DataFrame) -> str:
    """Which KPIs missed their target last week (as the scorecard judged them)."""
    if "is_on_target" not in week.columns:
        return "The scorecard holds no targets."
    judged = week[week["is_on_target"].notna()]
    missed = judged[~judged["is_on_target"].astype(bool)]
    if "metric_order" in missed.columns:
        missed = missed.sort_values("metric_order")
    if judged.empty:
        return "No KPI had a target and a value last week."
    if missed.empty:
        return f"All {len(judged)} KPIs with a target were on target."
    names = "; ".join(
        f"{_name(r)} {fmt(r['metric_value'], unit_of(str(r['metric_name'])))} "
        f"(target {fmt(r.get('target_value'), unit_of(str(r['metric_name'])))})"
        for r in missed.to_dict("records")
    )
    return f"Off target ({len(missed)} of {len(judged)}): {names}."


def findings(reader: MartReader) -> str:
    """The open findings of the latest quality run: how many checks did not pass, and the
    ones with most offending rows."""
    if not reader.has(CHECKS):
        return f"No data-quality results yet ({reader.schema}.{CHECKS} does not exist)."
    df = reader.frame(
        f"select rule, severity, success, unexpected_count, observed_value "
        f"from {reader.schema}.{CHECKS} where run_id = "
        f"(select run_id from {reader.schema}.{CHECKS} order by checked_at desc limit 1)"
    )
    failed = df[~df["success"].astype(bool)].drop_duplicates("rule", keep="last")
    if failed.empty:
        return f"Data quality: all {df['rule'].nunique()} checks of the latest run passed."
    rows = pd.to_numeric(failed["unexpected_count"], errors="coerce").fillna(
        pd.to_numeric(failed["observed_value"], errors="coerce")
    )
    failed = failed.assign(rows=rows).sort_values("rows", ascending=False)
    errors = int((failed["severity"] == "error").sum())
    top = ", ".join(
        f"{r['rule']} ({fmt(r['rows'], 'count')} rows)"
        for r in failed.head(TOP_FINDINGS).to_dict("records")
    )
    return (
        f"Data quality: {len(failed)} of {df['rule'].nunique()} checks did not pass "
        f"({errors} errors, {len(failed) - errors} warnings); most offending rows: {top}. "
        "See the data-quality section."
    )
