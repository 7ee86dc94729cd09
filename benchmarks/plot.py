"""latest.png: seconds and peak RSS of every step against scale (matplotlib, Agg)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib.ticker import FuncFormatter

SHOWN = (
    "generate",
    "ingest_floor",
    "ingest",
    "engine_floor",
    "dbt_run",
    "dbt_test",
    "dbt_build_full",
    "dbt_build_incremental",
    "check",
    "dagster_job",
)


def plot(summary: dict[str, Any], path: Path) -> Path:
    """Two log-log panels (time, memory) with one line per step."""
    labels = [f"{s:g}" for s in summary["scales"]]
    xs = [float(label) for label in labels]
    fig, (ax_t, ax_m) = plt.subplots(1, 2, figsize=(13, 5.5))
    for name in SHOWN:
        steps = [summary["per_scale"][label]["steps"].get(name) for label in labels]
        if not any(steps):
            continue
        pts = [(x, s) for x, s in zip(xs, steps, strict=True) if s]
        style = "--" if "floor" in name else "-"
        ax_t.plot(
            [p[0] for p in pts], [p[1]["seconds"] for p in pts], style, marker="o", label=name
        )
        ax_m.plot(
            [p[0] for p in pts], [p[1]["peak_rss_gib"] for p in pts], style, marker="o", label=name
        )
    m = summary["machine"]
    for ax, ylabel in ((ax_t, "wall seconds"), (ax_m, "peak RSS of the process tree (GiB)")):
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xticks(xs, labels)
        ax.set_xlabel("scale")
        ax.set_ylabel(ylabel)
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:g}"))
        ax.yaxis.set_minor_formatter(FuncFormatter(lambda _v, _pos: ""))
        ax.grid(True, which="both", alpha=0.3)
    ax_t.axhline(300, color="red", lw=0.8, ls=":", label="pipeline target 300 s")
    ax_m.axhline(4, color="red", lw=0.8, ls=":", label="pipeline target 4 GiB")
    ax_t.legend(fontsize=7, loc="upper left")
    ax_m.legend(fontsize=7, loc="upper left")
    fig.suptitle(
        f"revops benchmarks {summary['date'][:10]} ({m['cores']} cores, {m['memory_gib']} GiB); "
        "dashed: DuckDB floors"
    )
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
