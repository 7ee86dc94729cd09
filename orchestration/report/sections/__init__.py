"""The report's sections, each read from the marts that define its numbers.

Every section names the marts it reads; when one is missing the section says "not available"
and names it, and the rest of the report is still written.
"""

from __future__ import annotations

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
from orchestration.report.sections.common import SectionSpec

SECTIONS: tuple[SectionSpec, ...] = (
    summary.summary_section,
    scorecard.scorecard_section,
    funnel.funnel_section,
    channels.channels_section,
    pipeline.pipeline_section,
    reps.reps_section,
    sla.sla_section,
    quality.quality_section,
)
# Written by the quality checks, not a dbt model: no asset dependency.
NOT_DBT = {quality.TABLE}


def build_sections(reader: MartReader, period: ReportPeriod) -> list[Section]:
    """Every section; a section whose query fails says so instead of stopping the report."""
    out = []
    for spec in SECTIONS:
        try:
            out.append(spec(reader, period))
        except Exception as exc:  # one broken mart must not hide the other sections
            failed = spec.empty()
            out.append(failed.not_available(f"reading {', '.join(spec.reads)} failed: {exc}"))
    return out


def all_reads() -> list[str]:
    """Every mart the report reads."""
    return sorted({t for spec in SECTIONS for t in spec.reads})


def dbt_reads() -> list[str]:
    """The marts the report reads that dbt builds (the report asset's dependencies)."""
    return [t for t in all_reads() if t not in NOT_DBT]
