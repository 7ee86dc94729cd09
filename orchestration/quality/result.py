"""The result of one check, as the CLI, Dagster, the history table and the alerts see it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class CheckResult:
    """One check of one run.

    ``observed_value`` is the number of offending rows (rules) or of failed expectations
    (suites); ``unexpected_count`` the number of offending rows / unexpected values;
    ``sample_rows`` a few offending rows (dicts) for people to look at, ``offending_rows`` all
    of a rule's offending rows; both masked (orchestration/quality/masking.py: no raw email, name
    or phone leaves the runner). ``page_url`` is the check's page (``revops serve``). ``error``
    is set when the check could not run at all (a SQL error): such a check counts as failed. A
    check whose inputs are absent from the warehouse (a company without HubSpot has no marketing
    contacts to match) is ``not_applicable``: it passes, measures nothing and says why in
    ``description``.
    """

    rule: str
    severity: str
    success: bool
    observed_value: int | None
    threshold: int
    unexpected_count: int | None
    sample_rows: list[dict[str, Any]] = field(default_factory=list)
    kind: str = "rule"
    asset: tuple[str, ...] = ()
    description: str = ""
    details: list[str] = field(default_factory=list)
    error: str | None = None
    page_url: str | None = None
    offending_rows: list[dict[str, Any]] = field(default_factory=list, repr=False)
    not_applicable: bool = False

    @property
    def blocking(self) -> bool:
        """A failed error-severity check blocks (non-zero exit, downstream KPI marts)."""
        return not self.success and self.severity == "error"

    @property
    def status(self) -> str:
        """PASS, N/A (inputs absent), WARN (failed warning) or FAIL (failed error) for people."""
        if self.not_applicable:
            return "N/A"
        if self.success:
            return "PASS"
        return "FAIL" if self.severity == "error" else "WARN"
