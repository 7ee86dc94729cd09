"""Data quality: the latest run of the consistency checks, failures first."""

from __future__ import annotations

import pandas as pd

from orchestration.quality.history import SCHEMA, TABLE
from orchestration.quality.result import counts_line
from orchestration.report.formatting import fmt
from orchestration.report.marts import MartReader
from orchestration.report.model import Cell, Chart, Section, Table
from orchestration.report.periods import ReportPeriod
from orchestration.report.sections.common import report_section

READS = (TABLE,)  # what the section reads (quality.dq_check_results, not a dbt model)
COLUMNS = ("run_id", "checked_at", "rule", "severity", "success")
STATUS_CSS = {"FAIL": "bad", "WARN": "warn", "PASS": "good"}


def _status(stored: object, success: object, severity: object) -> str:
    """The status the run stored (PASS, WARN, FAIL, N/A: the same `revops check` prints); for
    rows written before that column existed, from success and severity."""
    if isinstance(stored, str) and stored:
        return stored
    if bool(success):
        return "PASS"
    return "FAIL" if str(severity) == "error" else "WARN"


@report_section(
    "quality",
    "Data quality",
    "Do the CRM, the marketing system and the marts agree? The latest run of the consistency "
    "checks (expectations/checks.yml); a warning is a disagreement to fix in the tools, a "
    "failure means the shared numbers themselves are in doubt.",
    READS,
    requires={TABLE: COLUMNS},
    schema_of={TABLE: SCHEMA},  # a technical table, outside the marts
)
def quality_section(section: Section, reader: MartReader, period: ReportPeriod) -> Section:
    reader = reader.in_schema(SCHEMA)
    df = reader.frame(
        f"select * from {SCHEMA}.{TABLE} where run_id = "
        f"(select run_id from {SCHEMA}.{TABLE} order by checked_at desc limit 1)"
    )
    if df.empty:
        return section.not_available(f"{SCHEMA}.{TABLE} has no check results yet")
    stored = df["status"] if "status" in df.columns else pd.Series([None] * len(df))
    df["status"] = [
        _status(st, s, v) for st, s, v in zip(stored, df["success"], df["severity"], strict=True)
    ]
    df = df.drop_duplicates("rule", keep="last")
    counts = {s: int((df["status"] == s).sum()) for s in ("PASS", "WARN", "FAIL")}
    checked = pd.to_datetime(df["checked_at"], utc=True).max()
    section.notes.append(
        f"Run {df['run_id'].iloc[0]} at {checked:%Y-%m-%d %H:%M} UTC: {counts_line(df['status'])}."
    )
    table = Table(
        f"{SCHEMA}.{TABLE} (latest run): checks that did not pass",
        ["Check", "Severity", "Status", "Offending rows", "Threshold"],
    )
    df["order"] = df["status"].map({"FAIL": 0, "WARN": 1, "PASS": 2, "N/A": 3})
    passed = sorted(df.loc[df["status"] == "PASS", "rule"].astype(str))
    if passed:
        section.notes.append(f"Passed: {', '.join(passed)}.")
    absent = sorted(df.loc[df["status"] == "N/A", "rule"].astype(str))
    if absent:
        section.notes.append(f"Not applicable (their inputs are absent): {', '.join(absent)}.")
    failed = df[df["status"].isin(["FAIL", "WARN"])]
    for row in failed.sort_values(["order", "rule"]).to_dict("records"):
        offending = row.get("unexpected_count")
        if offending is None or pd.isna(offending):
            offending = row.get("observed_value")
        table.rows.append(
            [
                Cell(str(row["rule"])),
                Cell(str(row["severity"])),
                Cell(row["status"], STATUS_CSS[row["status"]]),
                Cell(fmt(offending, "count")),
                Cell(fmt(row.get("threshold"), "count"), "muted"),
            ]
        )
    if table.rows:
        section.tables.append(table)
    section.charts.append(Chart("quality", "Data-quality checks, latest run", {"counts": counts}))
    return section
