"""Channels: spend, new customers, CAC and ROAS per channel for the month of last week."""

from __future__ import annotations

import pandas as pd

from orchestration.report.formatting import as_float, fmt
from orchestration.report.marts import MartReader
from orchestration.report.model import Cell, Chart, Section, Table
from orchestration.report.periods import ReportPeriod
from orchestration.report.sections.common import by_month, month_of_last_week, report_section

TABLE = "kpi_channel_performance"
SIDE_BY_SIDE = "kpi_channel_attribution"  # every model and scope per channel (optional)
INTERVALS = "kpi_channel_attribution_intervals"  # shares with 90% intervals (optional)
EFFECTS = "fct_attribution_channel_effects"  # Shapley shares with 90% intervals (optional)
READS = (TABLE, SIDE_BY_SIDE, INTERVALS, EFFECTS)  # the marts the section reads
#: The attribution scope the report shows when a mart does not say which is the default.
DEFAULT_SCOPE = "marketing"
COLUMNS = ("month_start", "channel", "spend_usd", "customers", "cac_usd", "roas")
SHOWN = (
    ("spend_usd", "Ad spend", "money"),
    ("mqls", "MQLs", "count"),
    ("customers", "New customers", "count"),
    ("cac_usd", "CAC", "money"),
    ("roas_attributed_revenue_usd", "Attributed revenue", "money"),
    ("roas", "ROAS", "multiple"),
)
# A channel without ad spend has no acquisition cost to speak of: its CAC is not shown.
NEEDS_SPEND = ("cac_usd",)
# Revenue attributed to each channel under every attribution model the mart stores.
MODELS = (
    ("first_touch", "First touch"),
    ("last_touch", "Last touch"),
    ("linear", "Linear"),
    ("position_based", "Position-based"),
    ("u_shaped", "U-shaped"),
    ("w_shaped", "W-shaped"),
    ("full_path", "Full path"),
    ("time_decay", "Time decay"),
    ("markov", "Markov"),
    ("shapley", "Shapley"),
)


@report_section(
    "channels",
    "Channels: CAC, ROAS and attribution",
    "What each channel costs per new customer (CAC = channel spend / new customers first-touched "
    "by the channel) and returns per dollar of ad spend (ROAS = revenue attributed to the "
    "channel / ad spend).",
    READS,
    requires={TABLE: COLUMNS},
)
def channels_section(section: Section, reader: MartReader, period: ReportPeriod) -> Section:
    df = by_month(reader, TABLE)
    month = month_of_last_week(period)
    rows = df[df["month"] == month]
    if rows.empty:
        known = sorted(m for m in df["month"].dropna().unique() if m <= month)
        if not known:
            return section.not_available(f"marts.{TABLE} has no month up to {month:%b %Y}")
        month = pd.Timestamp(known[-1])
        rows = df[df["month"] == month]
    rows = rows.sort_values("spend_usd", ascending=False, na_position="last")
    shown = [(c, name, unit) for c, name, unit in SHOWN if c in rows.columns]
    basis = _basis(rows)
    headers = [
        f"{name} ({basis})" if c.startswith("roas_") and basis else name for c, name, _ in shown
    ]
    table = Table(f"marts.{TABLE}, {month:%B %Y}", ["Channel", *headers])
    for row in rows.to_dict("records"):
        raw_spend = row.get("spend_usd")
        spend = as_float(raw_spend)
        # unknown spend (null: no exchange rate) shows CAC and ROAS as unknown, not as unpaid
        paid = (spend or 0.0) > 0 or (raw_spend is not None and spend is None)
        table.rows.append(
            [Cell(str(row["channel"]))]
            + [Cell(fmt(row[c], u) if paid or c not in NEEDS_SPEND else "–") for c, _, u in shown]
        )
    # a total over an unknown amount is unknown, never the sum of the known ones
    totals = {
        c: None if rows[c].isna().any() else rows[c].sum()
        for c in ("spend_usd", "customers")
        if c in rows.columns
    }
    section.tables.append(table)
    section.notes.append(
        f"{month:%B %Y}: {fmt(totals.get('spend_usd'), 'money')} ad spend, "
        f"{fmt(totals.get('customers'), 'count')} new customers. Channels without spend have no "
        "CAC or ROAS."
    )
    if basis:
        scope = _scope(rows)
        section.notes.append(
            f"ROAS and attributed revenue use the {basis} attribution model"
            + (f" on {scope} touches (scope {scope})." if scope else ".")
        )
    models = _models_table(rows, month)
    if models is not None:
        section.tables.append(models)
    paid = [str(c) for c in rows.loc[rows["spend_usd"].fillna(0) > 0, "channel"]]
    scopes = _scopes_table(reader, month, paid)
    if scopes is not None:
        section.tables.append(scopes)
    intervals = _intervals_table(reader)
    if intervals is not None:
        section.tables.append(intervals)
        section.notes.append(
            "Shares of won deals with their 90% bootstrap interval; a channel marked "
            "'inconclusive' has an interval wider than its share: the data cannot tell its "
            "share from noise."
        )
    shapley = _shapley_table(reader, _default_scope(reader))
    if shapley is not None:
        section.tables.append(shapley)
        section.notes.append(
            "Shapley shares of the New Business deals the channels added, with their 90% "
            "interval (the model re-fitted on resampled deals): if the model's assumptions hold, "
            "a channel's true share lies in it 9 times out of 10. A channel marked "
            "'inconclusive' has an interval wider than its share."
        )
    cac = _values(rows[rows["spend_usd"].fillna(0) > 0], "cac_usd")
    roas = _values(rows, "roas")
    if cac or roas:
        section.charts.append(
            Chart("channels", f"CAC and ROAS by channel, {month:%B %Y}", {"cac": cac, "roas": roas})
        )
    return section


def _models_table(rows: pd.DataFrame, month: pd.Timestamp) -> Table | None:
    """Attributed revenue per channel under each model, as stored: how far the models agree."""
    shown = [
        (f"attributed_revenue_{key}_usd", name)
        for key, name in MODELS
        if f"attributed_revenue_{key}_usd" in rows.columns
    ]
    if not shown:
        return None
    ordered = rows.sort_values(shown[0][0], ascending=False, na_position="last")
    table = Table(
        f"marts.{TABLE}, {month:%B %Y}: revenue won in the month, attributed to each channel "
        "under each model",
        ["Channel", *(name for _, name in shown)],
    )
    for row in ordered.to_dict("records"):
        table.rows.append(
            [Cell(str(row["channel"]))] + [Cell(fmt(row[c], "money")) for c, _ in shown]
        )
    return table


def _scopes_table(reader: MartReader, month: pd.Timestamp, paid: list[str]) -> Table | None:
    """ROAS of each paid channel under every model, marketing touches and full funnel side by
    side (kpi_channel_attribution), when the mart is there."""
    if not paid or not reader.has(SIDE_BY_SIDE):
        return None
    needed = ("month_start", "channel", "scope", "attribution_model", "roas")
    if any(c not in reader.columns(SIDE_BY_SIDE) for c in needed):
        return None
    df = by_month(reader, SIDE_BY_SIDE)
    df = df[(df["month"] == month) & df["channel"].isin(paid)]
    if df.empty:
        return None
    models = [(key, name) for key, name in MODELS if key in set(df["attribution_model"])]
    table = Table(
        f"marts.{SIDE_BY_SIDE}, {month:%B %Y}: ROAS of each paid channel under each model, "
        "marketing touches (the default) and full funnel (with sales activities)",
        ["Channel", "Scope", *(name for _, name in models)],
    )
    roas = {
        (str(c), str(s), str(m)): v
        for c, s, m, v in zip(
            df["channel"], df["scope"], df["attribution_model"], df["roas"], strict=True
        )
    }
    scopes = sorted({str(s) for s in df["scope"]}, key=lambda s: (s != "marketing", s))
    for channel in paid:
        for scope in scopes:
            table.rows.append(
                [Cell(channel), Cell(scope.replace("_", " "))]
                + [Cell(fmt(roas.get((channel, scope, key)), "multiple")) for key, _ in models]
            )
    return table


def _intervals_table(reader: MartReader) -> Table | None:
    """Each channel's share of the won deals under every model, default scope, with its 90%
    interval; inconclusive channels marked (kpi_channel_attribution_intervals)."""
    needed = (
        "scope",
        "attribution_model",
        "channel",
        "share",
        "share_lower",
        "share_upper",
        "is_inconclusive",
        "is_default_scope",
        "conversion_count",
    )
    if not reader.has(INTERVALS) or any(c not in reader.columns(INTERVALS) for c in needed):
        return None
    df = reader.table(INTERVALS)
    df = df[df["is_default_scope"].astype(bool)]
    if df.empty:
        return None
    models = [(key, name) for key, name in MODELS if key in set(df["attribution_model"])]
    cells = {(str(r["channel"]), str(r["attribution_model"])): r for r in df.to_dict("records")}
    order = (
        df[df["attribution_model"] == models[0][0]].sort_values("share", ascending=False)
        if models
        else df
    )
    count = int(df["conversion_count"].max())
    table = Table(
        f"marts.{INTERVALS}: share of the {count} won deals per channel under each model, "
        f"{str(df['scope'].iloc[0]).replace('_', ' ')} touches, with its 90% interval",
        ["Channel", *(name for _, name in models)],
    )
    for channel in dict.fromkeys(str(c) for c in order["channel"]):
        row = [Cell(channel)]
        for key, _ in models:
            r = cells.get((channel, key))
            if r is None:
                row.append(Cell("–"))
                continue
            text = (
                f"{fmt(r['share'], 'percent')} "
                f"({fmt(r['share_lower'], 'percent')}–{fmt(r['share_upper'], 'percent')})"
            )
            row.append(Cell(text + (" inconclusive" if r["is_inconclusive"] else "")))
        table.rows.append(row)
    return table


def _default_scope(reader: MartReader) -> str:
    """The default attribution scope, as the intervals mart states it (else marketing)."""
    if reader.has(INTERVALS) and {"scope", "is_default_scope"} <= set(reader.columns(INTERVALS)):
        df = reader.table(INTERVALS)
        scopes = sorted({str(s) for s in df.loc[df["is_default_scope"].astype(bool), "scope"]})
        if scopes:
            return scopes[0]
    return DEFAULT_SCOPE


def _shapley_table(reader: MartReader, scope: str) -> Table | None:
    """Each channel's Shapley share of the New Business deals the channels added, default
    scope, with its 90% bootstrap interval (the model re-fitted per draw); a channel whose
    interval is wider than its share is marked inconclusive (fct_attribution_channel_effects).
    """
    needed = ("scope", "channel", "shapley_share", "shapley_share_lower", "shapley_share_upper")
    if not reader.has(EFFECTS) or any(c not in reader.columns(EFFECTS) for c in needed):
        return None
    df = reader.table(EFFECTS)
    df = df[df["scope"].astype(str) == scope]
    if df.empty:
        return None
    df = df.sort_values(["shapley_share", "channel"], ascending=[False, True], na_position="last")
    table = Table(
        f"marts.{EFFECTS}: Shapley share of the New Business deals the channels added, "
        f"{scope.replace('_', ' ')} touches, with its 90% interval",
        ["Channel", "Shapley share (90% interval)"],
    )
    for r in df.to_dict("records"):
        share = as_float(r["shapley_share"])
        lower, upper = as_float(r["shapley_share_lower"]), as_float(r["shapley_share_upper"])
        if as_float(r.get("learning_journey_count")) == 0:
            # its share is 0 by arithmetic, not by evidence: nothing to learn its lift from
            table.rows.append(
                [Cell(str(r["channel"])), Cell("no evidence: on none of the deals learnt from")]
            )
            continue
        inconclusive = (
            share is not None and lower is not None and upper is not None and upper - lower > share
        )
        # "to", not a dash: a bound can be negative (a channel estimated to take deals away)
        text = f"{fmt(share, 'percent')} ({fmt(lower, 'percent')} to {fmt(upper, 'percent')})"
        table.rows.append(
            [Cell(str(r["channel"])), Cell(text + (" inconclusive" if inconclusive else ""))]
        )
    return table


def _scope(rows: pd.DataFrame) -> str:
    """The attribution scope behind the month's ROAS, as the mart states it."""
    if "roas_attribution_scope" not in rows.columns:
        return ""
    return ", ".join(sorted({str(s) for s in rows["roas_attribution_scope"].dropna()}))


def _values(rows: pd.DataFrame, column: str) -> list[tuple[str, float]]:
    """(channel, value) for the channels where the KPI is defined."""
    out = []
    for channel, value in zip(rows["channel"], rows[column], strict=True):
        number = as_float(value)
        if number is not None:
            out.append((str(channel), number))
    return out


def _basis(rows: pd.DataFrame) -> str:
    """The attribution model behind the month's ROAS, as the mart states it."""
    if "roas_attribution_model" not in rows.columns:
        return ""
    models = sorted({str(m) for m in rows["roas_attribution_model"].dropna()})
    return ", ".join(models)
