"""The report's charts as PNG files, drawn with matplotlib's Agg canvas (no display, no pyplot).

Figure and FigureCanvasAgg are used directly: no global pyplot state, so drawing is safe in
Dagster's worker processes and in tests.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from orchestration.report.formatting import money_text
from orchestration.report.model import Chart

BLUE, GREY, GREEN, AMBER, RED = "#2563eb", "#94a3b8", "#16a34a", "#d97706", "#dc2626"
DPI = 110


def _figure(width: float = 8.0, height: float = 4.0) -> Any:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=DPI)
    FigureCanvasAgg(fig)
    return fig


def _style(ax: Any) -> None:
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="x" if ax.get_xlim() else "y", alpha=0.25)


def _money(value: float, _pos: int = 0) -> str:
    """An axis tick in the reporting currency: as many digits as the tick has (up to 4), so
    neighbouring ticks such as 1,000 and 1,500 never print the same label."""
    return money_text(value, (".4g", ".4g", ".4g"))


def draw_funnel(chart: Chart) -> Any:
    stages = chart.data["stages"]
    current_label, previous_label = chart.data["labels"]
    fig = _figure(8, 4)
    ax = fig.add_subplot()
    names = [s[0] for s in stages][::-1]
    y = list(range(len(names)))
    ax.barh(
        [v - 0.2 for v in y], [s[1] for s in stages][::-1], 0.4, color=BLUE, label=current_label
    )
    ax.barh(
        [v + 0.2 for v in y], [s[2] for s in stages][::-1], 0.4, color=GREY, label=previous_label
    )
    ax.set_yticks(y, names)
    for v, s in zip(y, stages[::-1], strict=True):
        ax.annotate(
            f"{s[1]:,}",
            (s[1], v - 0.2),
            xytext=(3, 0),
            textcoords="offset points",
            va="center",
            fontsize=8,
        )
    ax.set_xlabel("people / opportunities")
    ax.legend(loc="lower right", frameon=False)
    _style(ax)
    return fig


def draw_channels(chart: Chart) -> Any:
    panels = [
        (key, title)
        for key, title in (
            ("cac", "CAC (USD per new customer)"),
            ("roas", "ROAS (revenue / ad spend)"),
        )
        if chart.data.get(key)
    ]
    rows = max(len(chart.data.get(key) or []) for key, _ in panels)
    fig = _figure(9, max(2.6, 0.4 * rows + 1.2))
    for i, (key, title) in enumerate(panels, start=1):
        ax = fig.add_subplot(1, len(panels), i)
        ax.set_title(title, fontsize=10)
        # a CAC of 0 (customers without spend) says nothing about cost: only paid channels
        pairs = sorted((p for p in chart.data[key] if key != "cac" or p[1] > 0), key=lambda p: p[1])
        if not pairs:
            ax.text(0.5, 0.5, "no paid channel won a customer", ha="center", va="center")
            ax.set_axis_off()
            continue
        ax.barh([p[0] for p in pairs], [p[1] for p in pairs], color=BLUE if key == "cac" else GREEN)
        if key == "cac":
            ax.xaxis.set_major_formatter(_money)
        else:
            ax.axvline(1.0, color=RED, lw=0.8, ls="--")
        _style(ax)
    fig.suptitle(chart.title, fontsize=11, x=0.01, ha="left")
    fig.tight_layout(rect=(0, 0, 1, 0.95))
    return fig


def _gaps(values: list[float | None]) -> list[float]:
    """Missing values as NaN: matplotlib leaves a gap (an unknown amount is not 0)."""
    return [float("nan") if v is None else v for v in values]


def draw_pipeline(chart: Chart) -> Any:
    weeks = chart.data["weeks"]
    fig = _figure(8, 3.8)
    ax = fig.add_subplot()
    x = list(range(len(weeks)))
    pipeline, bookings = (_gaps(chart.data[key]) for key in ("pipeline", "bookings"))
    ax.bar([v - 0.2 for v in x], pipeline, 0.4, color=BLUE, label="Pipeline created")
    ax.bar([v + 0.2 for v in x], bookings, 0.4, color=GREEN, label="Bookings (won)")
    ax.set_xticks(x, [f"{w:%d %b}" for w in weeks], rotation=45, ha="right", fontsize=8)
    ax.yaxis.set_major_formatter(_money)
    ax.set_xlabel("week starting")
    ax.legend(frameon=False)
    _style(ax)
    fig.tight_layout()
    return fig


def draw_sla(chart: Chart) -> Any:
    fig = _figure(8, 3.8)
    ax = fig.add_subplot()
    labels = [f"{w:%d %b}" for w in chart.data["weeks"]]
    hours = [v if v is not None else 0.0 for v in chart.data["median_hours"]]
    ax.bar(labels, hours, color=GREY, label="Median speed to lead (h)")
    ax.set_ylabel("median speed to lead (hours)")
    ax.tick_params(axis="x", rotation=45, labelsize=8)
    ax2 = ax.twinx()
    compliance = [v * 100 if v is not None else float("nan") for v in chart.data["compliance"]]
    ax2.plot(labels, compliance, color=BLUE, marker="o", label="SLA compliance (%)")
    ax2.set_ylabel("SLA compliance (%)")
    ax2.set_ylim(0, 105)
    ax.spines[["top"]].set_visible(False)
    ax2.spines[["top"]].set_visible(False)
    fig.legend(loc="lower center", ncol=2, frameon=False, fontsize=8)
    fig.tight_layout(rect=(0, 0.06, 1, 1))
    return fig


def _tick(unit: str) -> Callable[[float, int], str]:
    """An axis tick formatter for one unit of the report."""
    if unit == "money":
        return _money
    if unit == "percent":
        return lambda v, _pos=0: f"{v * 100:.0f}%"
    if unit == "multiple":
        return lambda v, _pos=0: f"{v:.1f}x"
    return lambda v, _pos=0: f"{v:,.4g}"


def draw_trends(chart: Chart) -> Any:
    """Small multiples: one panel per KPI, its weekly value (line) and target (dashed)."""
    panels = chart.data["panels"]
    weeks = chart.data["weeks"]
    columns = 3
    rows = max(1, -(-len(panels) // columns))
    fig = _figure(10, 2.3 * rows + 0.6)
    x = list(range(len(weeks)))
    for i, panel in enumerate(panels, start=1):
        ax = fig.add_subplot(rows, columns, i)
        values = [float("nan") if v is None else v for v in panel["values"]]
        targets = [float("nan") if v is None else v for v in panel["targets"]]
        ax.plot(x, values, color=BLUE, marker="o", markersize=3, lw=1.5)
        if any(t == t for t in targets):  # not every value NaN
            ax.plot(x, targets, color=GREY, lw=1, ls="--")
        ax.set_title(panel["label"], fontsize=9, loc="left")
        ax.yaxis.set_major_formatter(_tick(panel["unit"]))
        ax.tick_params(labelsize=7)
        ticks = x[:: max(1, len(x) // 4)]
        ax.set_xticks(ticks, [f"{weeks[t]:%d %b}" for t in ticks])
        _style(ax)
    fig.suptitle(chart.title, fontsize=11, x=0.01, ha="left")
    fig.tight_layout(rect=(0, 0, 1, 0.96))
    return fig


def draw_quality(chart: Chart) -> Any:
    counts = chart.data["counts"]
    fig = _figure(6, 2.6)
    ax = fig.add_subplot()
    labels = ["passed", "warnings", "failed"]
    values = [counts.get("PASS", 0), counts.get("WARN", 0), counts.get("FAIL", 0)]
    bars = ax.barh(labels[::-1], values[::-1], color=[RED, AMBER, GREEN])
    ax.bar_label(bars, fontsize=9, padding=3)
    ax.set_xlabel("checks")
    _style(ax)
    fig.tight_layout()
    return fig


OWN_TITLE = {"channels", "trends"}  # drawers that place the title themselves (above several panels)
DRAWERS: dict[str, Callable[[Chart], Any]] = {
    "funnel": draw_funnel,
    "trends": draw_trends,
    "channels": draw_channels,
    "pipeline": draw_pipeline,
    "sla": draw_sla,
    "quality": draw_quality,
}


def draw(chart: Chart, folder: Path, name: str) -> Path:
    """Draw one chart as ``folder/name.png`` and set its path relative to the report."""
    folder.mkdir(parents=True, exist_ok=True)
    fig = DRAWERS[chart.kind](chart)
    if chart.kind not in OWN_TITLE:
        fig.axes[0].set_title(chart.title, fontsize=11, loc="left", pad=10)
    path = folder / f"{name}.png"
    fig.savefig(path, bbox_inches="tight")
    chart.path = f"{folder.name}/{path.name}"
    return path
