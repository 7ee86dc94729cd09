"""The report's sections, each read from the marts that define its numbers.

Every section names the marts it reads; when one is missing the section says "not available"
and names it, and the rest of the report is still written.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pandas as pd

from orchestration.report.formatting import change, fmt, label, trend, unit_of, vs_target
from orchestration.report.kpi_tables import (
    combine,
    comparison_table,
    dimension_table,
    metric_columns,
    two_periods,
    weekly_series,
)
from orchestration.report.marts import MartReader, numeric_columns, period_column, pick
from orchestration.report.model import Cell, Chart, Section, Table
from orchestration.report.periods import ReportPeriod

JOURNEY = "fct_customer_journey"
SCORECARD = "kpi_weekly_scorecard"
FUNNEL = "kpi_funnel_conversion"
CHANNELS = "kpi_channel_performance"
SALES = "kpi_sales_performance"
SLA = "kpi_lead_sla"
DQ = "dq_check_results"

# Funnel stages as fct_customer_journey names them; opportunity stages count opportunities.
FUNNEL_STAGES = (
    ("lead_created", "Leads"),
    ("mql", "MQLs"),
    ("sal", "SALs"),
    ("sql", "SQLs"),
    ("opportunity_created", "Opportunities"),
    ("opportunity_won", "Closed won"),
)
JOURNEY_COLUMNS = ("event_type", "occurred_at", "person_id", "opportunity_id", "amount_usd")

# Marts each section reads (the report asset depends on those that exist).
SECTION_READS: dict[str, tuple[str, ...]] = {
    "scorecard": (SCORECARD,),
    "funnel": (JOURNEY, FUNNEL),
    "channels": (CHANNELS,),
    "pipeline": (JOURNEY, SALES),
    "sla": (SLA,),
    "quality": (DQ,),
}


def ts(day: date) -> str:
    """A portable timestamp literal (DuckDB and PostgreSQL)."""
    return f"timestamp '{day:%Y-%m-%d} 00:00:00'"


def _missing_columns(reader: MartReader, table: str, needed: tuple[str, ...]) -> list[str]:
    cols = set(reader.columns(table))
    return [c for c in needed if c not in cols]


def scorecard_section(reader: MartReader, period: ReportPeriod) -> Section:
    """The shared KPIs: last week against the week before and against their targets."""
    section = Section(
        "scorecard",
        "Scorecard: last week against the week before and the targets",
        SECTION_READS["scorecard"],
        intro="The shared numbers of the joint sales and marketing meeting.",
    )
    section.missing = reader.missing([SCORECARD])
    if section.missing:
        return section.not_available(f"table marts.{SCORECARD} does not exist (yet)")
    df = reader.table(SCORECARD)
    cols = list(df.columns)
    metric_col = pick(cols, ["metric", "metric_name", "kpi", "kpi_name", "measure", "name"])
    value_col = pick(cols, ["value", "actual", "actual_value", "metric_value", "current_value"])
    target_col = pick(cols, ["target", "target_value", "goal"])
    rows = two_periods(df, period)
    if rows.current.empty:
        return section.not_available(f"marts.{SCORECARD} has no row for {rows.current_label}")
    headers = ["KPI", rows.current_label]
    if rows.previous_label:
        headers += [rows.previous_label, "Change"]
    headers += ["Target", "Against target"]
    table = Table(f"marts.{SCORECARD}", headers)
    if metric_col and value_col:  # long: one row per KPI and week
        names = list(dict.fromkeys(rows.current[metric_col].astype(str)))
        for name in names:
            cur_rows = rows.current[rows.current[metric_col].astype(str) == name]
            prev_rows = rows.previous[rows.previous[metric_col].astype(str) == name]
            cur = combine(cur_rows, value_col)
            prev = combine(prev_rows, value_col)
            target = combine(cur_rows, target_col) if target_col else None
            table.rows.append(_scorecard_row(name, cur, prev, target, bool(rows.previous_label)))
    else:  # wide: one column per KPI, optional target_<kpi> / <kpi>_target columns
        period_col = period_column(cols)
        metrics = [
            c
            for c in numeric_columns(df, exclude=[period_col] if period_col else [])
            if "target" not in c
        ]
        for metric in metrics:
            target_name = pick(cols, [f"target_{metric}", f"{metric}_target"])
            cur = combine(rows.current, metric)
            prev = combine(rows.previous, metric)
            target = combine(rows.current, target_name) if target_name else None
            table.rows.append(_scorecard_row(metric, cur, prev, target, bool(rows.previous_label)))
    if not target_col and not any(r[-1].text != "–" for r in table.rows):
        section.notes.append(f"marts.{SCORECARD} has no targets: the target columns are empty.")
    section.tables.append(table)
    return section


def _scorecard_row(
    name: str, cur: float | None, prev: float | None, target: float | None, with_prev: bool
) -> list[Cell]:
    unit = unit_of(name)
    cells = [Cell(label(name)), Cell(fmt(cur, unit))]
    if with_prev:
        cells += [Cell(fmt(prev, unit), "muted"), Cell(change(cur, prev), trend(cur, prev, name))]
    status, css = vs_target(cur, target, name)
    cells += [Cell(fmt(target, unit) if target is not None else "–"), Cell(status, css)]
    return cells


def funnel_section(reader: MartReader, period: ReportPeriod) -> Section:
    """People (and opportunities) reaching each funnel stage last week and the week before."""
    section = Section(
        "funnel",
        "Funnel by stage",
        SECTION_READS["funnel"],
        intro="People entering each shared funnel stage (opportunities for the last two stages).",
    )
    if not reader.has(JOURNEY):
        section.missing = reader.missing([JOURNEY])
        return section.not_available(f"table marts.{JOURNEY} does not exist (yet)")
    if lacking := _missing_columns(reader, JOURNEY, JOURNEY_COLUMNS):
        return section.not_available(f"marts.{JOURNEY} lacks column(s) {', '.join(lacking)}")
    lw, lwe, wb = period.last_week_start, period.last_week_end, period.week_before_start
    stages = ", ".join(f"'{s}'" for s, _ in FUNNEL_STAGES)
    key = "coalesce(opportunity_id, person_id)"
    df = reader.frame(
        "select event_type, "
        f"count(distinct case when occurred_at >= {ts(lw)} then {key} end) as last_week, "
        f"count(distinct case when occurred_at < {ts(lw)} then {key} end) as week_before "
        f"from marts.{JOURNEY} "
        f"where event_type in ({stages}) and occurred_at >= {ts(wb)} and occurred_at < {ts(lwe)} "
        "group by event_type"
    )
    counts = {str(r.event_type): (int(r.last_week), int(r.week_before)) for r in df.itertuples()}
    table = Table(
        f"marts.{JOURNEY}",
        ["Stage", period.last_week_label, period.week_before_label, "Change", "From stage before"],
    )
    previous_count: int | None = None
    chart_rows = []
    for stage, name in FUNNEL_STAGES:
        cur, prev = counts.get(stage, (0, 0))
        step = f"{cur / previous_count:.0%}" if previous_count else "–"
        table.rows.append(
            [
                Cell(name),
                Cell(fmt(cur, "count")),
                Cell(fmt(prev, "count"), "muted"),
                Cell(change(cur, prev), trend(cur, prev, name)),
                Cell(step, "muted"),
            ]
        )
        chart_rows.append((name, cur, prev))
        previous_count = cur
    section.tables.append(table)
    section.charts.append(
        Chart(
            "funnel",
            "Funnel by stage",
            {
                "stages": chart_rows,
                "labels": (period.last_week_label, period.week_before_label),
            },
        )
    )
    if reader.has(FUNNEL):
        conv = reader.table(FUNNEL)
        rows = two_periods(conv, period)
        rates = [c for c in numeric_columns(conv) if unit_of(c) == "percent"][:6]
        if rates and not rows.current.empty:
            caption = f"marts.{FUNNEL}: conversion rates, cohort {rows.current_label}"
            section.tables.append(comparison_table(caption, rows, rates))
    else:
        section.missing = reader.missing([FUNNEL])
        section.notes.append(
            f"Conversion rates by cohort not available: table marts.{FUNNEL} does not exist (yet)."
        )
    return section


def channels_section(reader: MartReader, period: ReportPeriod) -> Section:
    """CAC and ROAS per channel for the latest period of marts.kpi_channel_performance."""
    section = Section(
        "channels",
        "Channels: CAC and ROAS",
        SECTION_READS["channels"],
        intro="What each channel costs per new customer and returns per dollar of ad spend.",
    )
    section.missing = reader.missing([CHANNELS])
    if section.missing:
        return section.not_available(f"table marts.{CHANNELS} does not exist (yet)")
    df = reader.table(CHANNELS)
    cols = list(df.columns)
    model_col = pick(cols, ["attribution_model", "model"])
    if model_col and df[model_col].nunique() > 1:
        models = [str(m) for m in df[model_col].dropna().unique()]
        chosen = next((m for m in ("w_shaped", "linear", "position_based") if m in models), None)
        chosen = chosen or sorted(models)[0]
        df = df[df[model_col].astype(str) == chosen]
        section.notes.append(f"Attributed revenue and ROAS use the {chosen} attribution model.")
    dim = pick(cols, ["channel", "channel_name", "marketing_channel", "channel_group", "source"])
    if dim is None:
        return section.not_available(f"marts.{CHANNELS} has no channel column")
    cac = pick(cols, ["cac_usd", "cac", "paid_cac_usd", "paid_cac", "cost_per_customer_usd"])
    roas = pick(cols, ["roas", "roas_ratio"])
    metrics = metric_columns(
        df,
        [
            ["spend_usd", "ad_spend_usd", "spend", "ad_spend"],
            ["new_customers", "customers", "won_customers"],
            [cac] if cac else [],
            ["attributed_revenue_usd", "attributed_revenue", "revenue_usd"],
            [roas] if roas else [],
        ],
    )
    rows = two_periods(df, period)
    current = (
        rows.current.groupby(dim, as_index=False).first()
        if not rows.current.empty
        else rows.current
    )
    section.tables.append(
        dimension_table(f"marts.{CHANNELS}, {rows.current_label}", current, dim, metrics)
    )
    if cac or roas:
        section.charts.append(
            Chart(
                "channels",
                f"CAC and ROAS by channel, {rows.current_label}",
                {
                    "channels": [str(c) for c in current[dim]],
                    "cac": [_num(v) for v in current[cac]] if cac else None,
                    "roas": [_num(v) for v in current[roas]] if roas else None,
                },
            )
        )
    else:
        section.notes.append(f"marts.{CHANNELS} has no CAC or ROAS column to chart.")
    return section


def _num(value: object) -> float | None:
    v = pd.to_numeric(pd.Series([value]), errors="coerce").iloc[0]
    return None if pd.isna(v) else float(v)


def pipeline_section(reader: MartReader, period: ReportPeriod) -> Section:
    """Pipeline created and bookings per week over the trend window (distinct opportunities)."""
    section = Section(
        "pipeline",
        "Pipeline and bookings trend",
        SECTION_READS["pipeline"],
        intro="Opportunities created (pipeline) and won (bookings) per week, in USD.",
    )
    if not reader.has(JOURNEY):
        section.missing = reader.missing([JOURNEY])
        return section.not_available(f"table marts.{JOURNEY} does not exist (yet)")
    if lacking := _missing_columns(reader, JOURNEY, JOURNEY_COLUMNS):
        return section.not_available(f"marts.{JOURNEY} lacks column(s) {', '.join(lacking)}")
    df = reader.frame(
        "with opportunity_events as ("
        " select distinct event_type, opportunity_id, amount_usd,"
        " cast(date_trunc('week', occurred_at) as date) as week_start"
        f" from marts.{JOURNEY}"
        " where event_type in ('opportunity_created', 'opportunity_won')"
        " and opportunity_id is not null"
        f" and occurred_at >= {ts(period.trend_start)} and occurred_at < {ts(period.last_week_end)}"
        ") select week_start, event_type, count(distinct opportunity_id) as opportunities,"
        " sum(amount_usd) as amount_usd from opportunity_events group by week_start, event_type"
    )
    weeks = [period.trend_start + timedelta(days=7 * i) for i in range(_weeks(period))]
    values: dict[tuple[date, str], tuple[int, float]] = {}
    for r in df.itertuples():
        week = pd.Timestamp(r.week_start).date()
        values[(week, str(r.event_type))] = (int(r.opportunities), float(r.amount_usd or 0))
    created = [values.get((w, "opportunity_created"), (0, 0.0)) for w in weeks]
    won = [values.get((w, "opportunity_won"), (0, 0.0)) for w in weeks]
    table = Table(
        f"marts.{JOURNEY}",
        ["Metric", period.last_week_label, period.week_before_label, "Change"],
    )
    for name, series, idx, unit in (
        ("Pipeline created (USD)", created, 1, "money"),
        ("Opportunities created", created, 0, "count"),
        ("Bookings (USD)", won, 1, "money"),
        ("Deals won", won, 0, "count"),
    ):
        cur, prev = series[-1][idx], series[-2][idx]
        table.rows.append(
            [
                Cell(name),
                Cell(fmt(cur, unit)),
                Cell(fmt(prev, unit), "muted"),
                Cell(change(cur, prev), trend(cur, prev, name)),
            ]
        )
    section.tables.append(table)
    section.charts.append(
        Chart(
            "pipeline",
            f"Pipeline created and bookings, last {len(weeks)} weeks",
            {
                "weeks": weeks,
                "pipeline": [c[1] for c in created],
                "bookings": [w[1] for w in won],
            },
        )
    )
    if reader.has(SALES):
        sales = reader.table(SALES)
        rows = two_periods(sales, period)
        metrics = metric_columns(
            sales,
            [
                ["win_rate", "win_rate_count", "win_rate_by_count"],
                ["win_rate_value", "win_rate_by_value"],
                ["avg_deal_size_usd", "average_deal_size_usd", "avg_deal_size"],
                ["sales_cycle_days", "avg_sales_cycle_days", "median_sales_cycle_days"],
                ["pipeline_velocity_usd_per_day", "pipeline_velocity_usd", "pipeline_velocity"],
            ],
        )
        if metrics and not rows.current.empty:
            section.tables.append(comparison_table(f"marts.{SALES}", rows, metrics))
    else:
        section.missing = reader.missing([SALES])
        section.notes.append(
            f"Win rate, deal size and sales cycle not available: table marts.{SALES} "
            "does not exist (yet)."
        )
    return section


def _weeks(period: ReportPeriod) -> int:
    return (period.last_week_start - period.trend_start).days // 7 + 1


def sla_section(reader: MartReader, period: ReportPeriod) -> Section:
    """Speed to lead and SLA compliance, last week against the week before and the trend."""
    section = Section(
        "sla",
        "Speed to lead and SLA",
        SECTION_READS["sla"],
        intro="Time from MQL to the first sales activity, and the share handled within the SLA.",
    )
    section.missing = reader.missing([SLA])
    if section.missing:
        return section.not_available(f"table marts.{SLA} does not exist (yet)")
    df = reader.table(SLA)
    cols = list(df.columns)
    speed = pick(
        cols,
        [
            "median_speed_to_lead_hours",
            "speed_to_lead_hours",
            "avg_speed_to_lead_hours",
            "median_hours_to_first_activity",
            "speed_to_lead_minutes",
            "speed_to_lead",
        ],
    )
    sla = pick(
        cols,
        [
            "sla_compliance_rate",
            "sla_compliance",
            "within_sla_rate",
            "sla_met_rate",
            "share_within_sla",
            "pct_within_sla",
            "sla_rate",
        ],
    )
    weight = pick(cols, ["mqls", "mql_count", "leads", "lead_count", "mqls_worked"])
    metrics = [m for m in (weight, speed, sla) if m]
    metrics += [m for m in metric_columns(df, []) if m not in metrics][: max(0, 5 - len(metrics))]
    rows = two_periods(df, period)
    if rows.current.empty:
        return section.not_available(f"marts.{SLA} has no row for {rows.current_label}")
    section.tables.append(comparison_table(f"marts.{SLA}", rows, metrics, weights=weight))
    series = {
        name: weekly_series(df, col, period)
        for name, col in (("speed", speed), ("sla", sla))
        if col
    }
    if any(series.values()):
        section.charts.append(
            Chart(
                "sla",
                "Speed to lead and SLA compliance",
                {
                    "speed": series.get("speed", []),
                    "speed_label": label(speed) if speed else "",
                    "sla": series.get("sla", []),
                    "sla_label": label(sla) if sla else "",
                },
            )
        )
    return section


def quality_section(reader: MartReader, period: ReportPeriod) -> Section:
    """The latest data-quality run: how many checks passed, warned and failed, and which."""
    section = Section(
        "quality",
        "Data quality",
        SECTION_READS["quality"],
        intro="The consistency checks between the CRM, marketing automation and the marts.",
    )
    section.missing = reader.missing([DQ])
    if section.missing:
        return section.not_available(f"table marts.{DQ} does not exist (yet)")
    df = reader.frame(
        f"select * from marts.{DQ} where run_id = "
        f"(select run_id from marts.{DQ} order by checked_at desc limit 1)"
    )
    if df.empty:
        return section.not_available(f"marts.{DQ} has no results yet")
    df["status"] = [
        "PASS" if bool(s) else ("FAIL" if str(sev) == "error" else "WARN")
        for s, sev in zip(df["success"], df["severity"], strict=True)
    ]
    counts = {s: int((df["status"] == s).sum()) for s in ("PASS", "WARN", "FAIL")}
    checked = pd.to_datetime(df["checked_at"]).max()
    section.notes.append(
        f"Run {df['run_id'].iloc[0]} at {checked:%Y-%m-%d %H:%M} UTC: {counts['PASS']} passed, "
        f"{counts['WARN']} warnings, {counts['FAIL']} failed."
    )
    table = Table(
        f"marts.{DQ} (latest run)",
        ["Check", "Severity", "Status", "Offending rows", "Threshold"],
    )
    order = {"FAIL": 0, "WARN": 1, "PASS": 2}
    df = df.assign(_o=df["status"].map(order)).sort_values(["_o", "rule"])
    css = {"FAIL": "bad", "WARN": "warn", "PASS": "good"}
    for r in df.itertuples():
        observed = r.unexpected_count if pd.notna(r.unexpected_count) else r.observed_value
        table.rows.append(
            [
                Cell(str(r.rule)),
                Cell(str(r.severity)),
                Cell(str(r.status), css[str(r.status)]),
                Cell(fmt(observed, "count")),
                Cell(fmt(r.threshold, "count"), "muted"),
            ]
        )
    section.tables.append(table)
    section.charts.append(Chart("quality", "Data-quality checks, latest run", {"counts": counts}))
    return section


SECTIONS: tuple[Callable[[MartReader, ReportPeriod], Section], ...] = (
    scorecard_section,
    funnel_section,
    channels_section,
    pipeline_section,
    sla_section,
    quality_section,
)


def build_sections(reader: MartReader, period: ReportPeriod) -> list[Section]:
    """Every section; a section whose query fails says so instead of stopping the report."""
    sections = []
    for build in SECTIONS:
        try:
            sections.append(build(reader, period))
        except Exception as exc:  # one broken mart must not hide the other sections
            name = build.__name__.removesuffix("_section")
            failed = Section(name, label(name), SECTION_READS.get(name, ()))
            sections.append(failed.not_available(f"reading the marts failed: {exc}"))
    return sections


def all_reads() -> list[str]:
    """Every mart the report reads."""
    return sorted({t for reads in SECTION_READS.values() for t in reads})
