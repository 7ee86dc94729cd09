"""The weeks the report compares: the last complete ISO week before as_of and the one before it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

TREND_WEEKS = 12


@dataclass(frozen=True)
class ReportPeriod:
    """Week boundaries (Monday 00:00 UTC, end exclusive) relative to ``as_of`` (naive UTC)."""

    as_of: datetime
    last_week_start: date
    week_before_start: date
    trend_start: date

    @property
    def last_week_end(self) -> date:
        """The Monday after last week (exclusive end)."""
        return self.last_week_start + timedelta(days=7)

    @property
    def last_week_label(self) -> str:
        end = self.last_week_end - timedelta(days=1)
        return f"{self.last_week_start:%d %b} – {end:%d %b %Y}"

    @property
    def week_before_label(self) -> str:
        end = self.last_week_start - timedelta(days=1)
        return f"{self.week_before_start:%d %b} – {end:%d %b %Y}"


def report_period(as_of: datetime) -> ReportPeriod:
    """Last week = the last Monday-to-Sunday week that ended at or before ``as_of`` (the run's
    resolved as_of: naive UTC, orchestration.run_settings.resolve_as_of)."""
    this_monday = as_of.date() - timedelta(days=as_of.weekday())
    last_week_start = this_monday - timedelta(days=7)
    return ReportPeriod(
        as_of=as_of,
        last_week_start=last_week_start,
        week_before_start=last_week_start - timedelta(days=7),
        trend_start=last_week_start - timedelta(days=7 * (TREND_WEEKS - 1)),
    )
