"""Funnel by stage: people reaching each stage last week, and stage conversion by cohort."""

from __future__ import annotations

import pandas as pd

from orchestration.report.formatting import fmt
from orchestration.report.marts import MartReader
from orchestration.report.model import Cell, Chart, Section, Table
from orchestration.report.periods import ReportPeriod
from orchestration.report.sections.common import (
    compare_row,
    optional,
    report_section,
    ts,
    utc_naive,
)

PEOPLE = "dim_person"
CONVERSION = "kpi_funnel_conversion_monthly"
READS = (PEOPLE, CONVERSION)  # the marts the section reads
# Shared funnel stages and the dim_person column of each person's first time in the stage.
STAGES = (
    ("Leads", "became_lead_at"),
    ("MQLs", "became_mql_at"),
    ("SALs", "became_sal_at"),
    ("SQLs", "became_sql_at"),
    ("Opportunities", "first_opportunity_at"),
    ("Customers", "became_customer_at"),
)
CONVERSION_COLUMNS = ("cohort_month", "stage_pair", "conversion_rate")
COHORTS = 3


def _stage_counts(reader: MartReader, period: ReportPeriod) -> dict[str, tuple[int, int]]:
    lw, wb, end = ts(period.last_week_start), ts(period.week_before_start), ts(period.last_week_end)
    selects = []
    for _, col in STAGES:
        selects.append(
            f"sum(case when {col} >= {lw} and {col} < {end} then 1 else 0 end) as {col}_last, "
            f"sum(case when {col} >= {wb} and {col} < {lw} then 1 else 0 end) as {col}_before"
        )
    row = reader.frame(
        f"select {', '.join(selects)} from marts.{PEOPLE} where person_id != '-1'"
    ).iloc[0]
    return {
        col: (int(row[f"{col}_last"] or 0), int(row[f"{col}_before"] or 0)) for _, col in STAGES
    }


@report_section(
    "funnel",
    "Funnel by stage",
    "People reaching each shared funnel stage for the first time, and how cohorts convert from "
    "stage to stage.",
    READS,
    requires={PEOPLE: tuple(col for _, col in STAGES)},
)
def funnel_section(section: Section, reader: MartReader, period: ReportPeriod) -> Section:
    counts = _stage_counts(reader, period)
    table = Table(
        f"marts.{PEOPLE} (first time in each stage)",
        ["Stage", period.last_week_label, period.week_before_label, "Change"],
    )
    # No ratio between two stages of the same week: different people reach each stage in a
    # week, so it is no conversion rate (the cohort table below is).
    for name, col in STAGES:
        current, previous = counts[col]
        table.rows.append(compare_row(name, current, previous, "count", name))
    section.tables.append(table)
    section.charts.append(
        Chart(
            "funnel",
            "People reaching each funnel stage",
            {
                "stages": [(name, *counts[col]) for name, col in STAGES],
                "labels": (period.last_week_label, period.week_before_label),
            },
        )
    )
    if optional(section, reader, CONVERSION, "Conversion by cohort"):
        section.tables.append(_conversion_table(reader, period))
    return section


def _conversion_table(reader: MartReader, period: ReportPeriod) -> Table:
    """Stage conversion of the latest monthly cohorts, over all channels."""
    df = reader.table(CONVERSION)
    missing = [c for c in CONVERSION_COLUMNS if c not in df.columns]
    if missing:
        return Table(f"marts.{CONVERSION} lacks column(s) {', '.join(missing)}", ["Stage pair"])
    df["cohort"] = utc_naive(df["cohort_month"])
    cohorts = sorted(
        c for c in df["cohort"].dropna().unique() if c < pd.Timestamp(period.last_week_end)
    )
    cohorts = cohorts[-COHORTS:]
    order = "stage_pair_order" if "stage_pair_order" in df.columns else "stage_pair"
    pairs = (
        df.sort_values(order)
        .drop_duplicates("stage_pair")[["stage_pair"]]
        .assign(name=lambda d: d["stage_pair"].str.replace("_to_", " → ").str.replace("_", " "))
    )
    rates = df[df["cohort"].isin(cohorts)].set_index(["stage_pair", "cohort"])["conversion_rate"]
    headers = ["Stage pair", *[f"{pd.Timestamp(c):%b %Y} cohort" for c in reversed(cohorts)]]
    table = Table(
        f"marts.{CONVERSION}: converted / entered, all channels (recent cohorts are still "
        "converting)",
        headers,
    )
    for pair, name in pairs.itertuples(index=False):
        cells = [Cell(str(name))]
        for cohort in reversed(cohorts):
            cells.append(Cell(fmt(rates.get((pair, cohort)), "percent")))
        table.rows.append(cells)
    return table
