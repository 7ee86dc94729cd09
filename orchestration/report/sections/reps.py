"""Sales reps: each opportunity owner's month, by name, as kpi_sales_rep_monthly stores it."""

from __future__ import annotations

import pandas as pd

from orchestration.report.formatting import fmt
from orchestration.report.marts import MartReader
from orchestration.report.model import Cell, Section, Table
from orchestration.report.periods import ReportPeriod
from orchestration.report.sections.common import by_month, month_of_last_week, report_section

TABLE = "kpi_sales_rep_monthly"
READS = (TABLE,)  # the marts the section reads
SHOWN = (
    ("opportunities_created", "Opps created", "count"),
    ("pipeline_created_usd", "Pipeline created", "money"),
    ("marketing_sourced_pipeline_usd", "Marketing-sourced", "money"),
    ("won_count", "Deals won", "count"),
    ("won_amount_usd", "Won revenue", "money"),
    ("win_rate_by_count", "Win rate", "percent"),
    ("average_deal_size_usd", "Avg deal", "money"),
    ("open_pipeline_usd", "Open pipeline", "money"),
)
COLUMNS = ("month_start", "owner_id", "owner_name", *(c for c, _, _ in SHOWN))
ACTIVITY = ("opportunities_created", "won_count", "lost_count", "open_opportunities")
MAX_ROWS = 25


@report_section(
    "reps",
    "Sales reps",
    "Each opportunity owner's month: pipeline created (and how much of it marketing sourced), "
    "deals won, win rate (won / (won + lost) by count), average deal size and the pipeline "
    "still open at the month's end.",
    READS,
    requires={TABLE: COLUMNS},
)
def reps_section(section: Section, reader: MartReader, period: ReportPeriod) -> Section:
    df = by_month(reader, TABLE)
    month = month_of_last_week(period)
    rows = df[df["month"] == month]
    active = rows[[c for c in ACTIVITY if c in rows.columns]].fillna(0).sum(axis=1) > 0
    rows = rows[active].sort_values(
        ["won_amount_usd", "pipeline_created_usd"], ascending=False, na_position="last"
    )
    if rows.empty:
        return section.not_available(f"marts.{TABLE} has no owner with activity in {month:%B %Y}")
    table = Table(
        f"marts.{TABLE}, {month:%B %Y} (month of last week), by won revenue",
        ["Rep", *(name for _, name, _ in SHOWN)],
    )
    for row in rows.head(MAX_ROWS).to_dict("records"):
        table.rows.append([_rep(row), *(Cell(fmt(row[c], unit)) for c, _, unit in SHOWN)])
    section.tables.append(table)
    if len(rows) > MAX_ROWS:
        section.notes.append(
            f"The {MAX_ROWS} reps with most won revenue of {len(rows)} with activity; every rep "
            f"is in marts.{TABLE}."
        )
    unnamed = int(rows["owner_name"].isna().sum())
    if unnamed:
        section.notes.append(
            f"{unnamed} owner(s) are not in the CRM's user export: shown by their id."
        )
    return section


def _rep(row: dict) -> Cell:
    name = row.get("owner_name")
    if name is None or pd.isna(name):
        return Cell(str(row["owner_id"]), "muted")
    return Cell(str(name))
