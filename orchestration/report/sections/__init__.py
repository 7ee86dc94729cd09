"""The report's sections, each read from the marts that define its numbers.

Every section names the marts it reads; when one is missing the section says "not available"
and names it, and the rest of the report is still written.
"""

from __future__ import annotations

from collections.abc import Callable

from orchestration.report.formatting import label
from orchestration.report.marts import MartReader
from orchestration.report.model import Section
from orchestration.report.periods import ReportPeriod
from orchestration.report.sections import (
    channels,
    funnel,
    pipeline,
    quality,
    reps,
    scorecard,
    sla,
    summary,
)

SectionBuilder = Callable[[MartReader, ReportPeriod], Section]

SECTIONS: tuple[tuple[str, SectionBuilder, tuple[str, ...]], ...] = (
    ("summary", summary.summary_section, summary.READS),
    ("scorecard", scorecard.scorecard_section, scorecard.READS),
    ("funnel", funnel.funnel_section, funnel.READS),
    ("channels", channels.channels_section, channels.READS),
    ("pipeline", pipeline.pipeline_section, pipeline.READS),
    ("reps", reps.reps_section, reps.READS),
    ("sla", sla.sla_section, sla.READS),
    ("quality", quality.quality_section, quality.READS),
)
# Written by the quality checks, not a dbt model: no asset dependency.
NOT_DBT = {quality.TABLE}


def build_sections(reader: MartReader, period: ReportPeriod) -> list[Section]:
    """Every section; a section whose query fails says so instead of stopping the report."""
    out = []
    for key, build, reads in SECTIONS:
        try:
            out.append(build(reader, period))
        except Exception as exc:  # one broken mart must not hide the other sections
            failed = Section(key, label(key), reads)
            out.append(failed.not_available(f"reading {', '.join(reads)} failed: {exc}"))
    return out


def all_reads() -> list[str]:
    """Every mart the report reads."""
    return sorted({t for _, _, reads in SECTIONS for t in reads})


def dbt_reads() -> list[str]:
    """The marts the report reads that dbt builds (the report asset's dependencies)."""
    return [t for t in all_reads() if t not in NOT_DBT]
