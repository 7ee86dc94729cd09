"""Data quality: the latest run of the consistency checks, failures first."""

from __future__ import annotations

import pandas as pd

from orchestration.quality.history import SCHEMA, TABLE
from orchestration.report.formatting import fmt
from orchestration.report.marts import MartReader
from orchestration.report.model import Cell, Chart, Section, Table
from orchestration.report.periods import ReportPeriod
from orchestration.report.sections.common import require

READS = (TABLE,)  # what the section reads (quality.dq_check_results, not a dbt model)
COLUMNS = ("run_id", "checked_at", "rule", "severity", "success")
STATUS_CSS = {"FAIL": "bad", "WARN": "warn", "PASS": "good"}


def _status(success: object, severity: object) -> str:
    if bool(success):
        return "PASS"
    return "FAIL" if str(severity) == "error" else "WARN"


def quality_section(reader: MartReader, period: ReportPeriod) -> Section:
    section = Section(
        "quality",
        "Data quality",
        READS,
        intro="Do the CRM, the marketing system and the marts agree? The latest run of the "
        "consistency checks (expectations/checks.yml); a warning is a disagreement to fix in the "
        "tools, a failure means the shared numbers themselves are in doubt.",
        schema_of={TABLE: SCHEMA},
    )
    reader = reader.in_schema(SCHEMA)  # a technical table, outside the marts
    if not require(section, reader, TABLE, COLUMNS):
        return section
    df = reader.frame(
        f"select * from {SCHEMA}.{TABLE} where run_id = "
        f"(select run_id from {SCHEMA}.{TABLE} order by checked_at desc limit 1)"
    )
    if df.empty:
        return section.not_available(f"{SCHEMA}.{TABLE} has no check results yet")
    df["status"] = [_status(s, v) for s, v in zip(df["success"], df["severity"], strict=True)]
    df = df.drop_duplicates("rule", keep="last")
    counts = {s: int((df["status"] == s).sum()) for s in ("PASS", "WARN", "FAIL")}
    checked = pd.to_datetime(df["checked_at"], utc=True).max()
    section.notes.append(
        f"Run {df['run_id'].iloc[0]} at {checked:%Y-%m-%d %H:%M} UTC: {counts['PASS']} passed, "
        f"{counts['WARN']} warnings, {counts['FAIL']} failed."
    )
    table = Table(
        f"{SCHEMA}.{TABLE} (latest run): checks that did not pass",
        ["Check", "Severity", "Status", "Offending rows", "Threshold"],
    )
    df["order"] = df["status"].map({"FAIL": 0, "WARN": 1, "PASS": 2})
    passed = sorted(df.loc[df["status"] == "PASS", "rule"].astype(str))
    if passed:
        section.notes.append(f"Passed: {', '.join(passed)}.")
    for row in df[df["status"] != "PASS"].sort_values(["order", "rule"]).to_dict("records"):
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
