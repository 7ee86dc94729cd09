"""What a load reports, and the errors it raises."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

Progress = Callable[[str], None]


class IngestError(RuntimeError):
    """One table could not be loaded (missing required column, unreadable file, ...).

    Nothing of that table was written; other tables and earlier loads are untouched.
    """

    def __init__(self, message: str, *, system: str = "", table: str = "", file: str = "") -> None:
        super().__init__(message)
        self.system = system
        self.table = table
        self.file = file


class LoadError(RuntimeError):
    """Some tables of a landing folder failed; every other table was loaded.

    ``results`` holds the tables that loaded (or had no file), ``failures`` one error per
    failed table.
    """

    def __init__(self, failures: list[IngestError], results: list[LoadResult]) -> None:
        lines = [f"{len(failures)} table(s) failed to load:"]
        for failure in failures:
            where = failure.file or f"{failure.system}.{failure.table}"
            text = str(failure)
            lines.append(f"  - {text}" if text.startswith(where) else f"  - {where}: {text}")
        super().__init__("\n".join(lines))
        self.failures = failures
        self.results = results


@dataclass(frozen=True)
class LoadResult:
    """The outcome of loading one landing file into one raw table.

    ``rows_in_file`` = ``rows_loaded`` + ``rows_quarantined`` always holds. ``rows_loaded``
    counts the rows accepted from the file, including ``rows_superseded`` (a later version of
    the same primary key in the same file wins; the earlier ones are merged away, not lost).
    ``status`` is ``loaded``, or ``missing`` when the landing folder has no file for the table
    (then ``file`` is empty and every count is 0), or ``deferred`` when the run leaves the file
    for a later run (``note`` says why; every count is 0).
    """

    system: str
    table: str
    file: str
    rows_in_file: int
    rows_loaded: int
    rows_quarantined: int
    new_columns: tuple[str, ...]
    duration_s: float
    load_id: str
    status: str = "loaded"
    rows_superseded: int = 0
    missing_columns: tuple[str, ...] = field(default=())
    #: The most frequent quarantine reasons, (reason, rows), most frequent first.
    quarantine_reasons: tuple[tuple[str, int], ...] = field(default=())
    note: str = ""

    @classmethod
    def not_loaded(
        cls, system: str, table: str, status: str, file: str = "", note: str = ""
    ) -> LoadResult:
        """The report of a table this run loads nothing into (status ``missing`` or
        ``deferred``): every count 0."""
        return cls(
            system=system,
            table=table,
            file=file,
            rows_in_file=0,
            rows_loaded=0,
            rows_quarantined=0,
            new_columns=(),
            duration_s=0.0,
            load_id="",
            status=status,
            note=note,
        )

    @property
    def qualified_name(self) -> str:
        return f"{self.system}.{self.table}"

    def summary(self) -> str:
        """One line for logs and the CLI: rows in, loaded, quarantined (top reasons), columns.

        Missing contract columns are named in full (they are NULL in staging: the user must
        know); new columns, which connectors add by the hundred, are counted and a few named.
        """
        if self.status == "missing":
            return f"{self.qualified_name}: no landing file, table absent"
        if self.status == "deferred":
            return f"{self.qualified_name}: {self.file} skipped for now: {self.note}"
        text = (
            f"{self.qualified_name}: {self.rows_in_file} rows in {self.file}, "
            f"{self.rows_loaded} loaded, {self.rows_quarantined} quarantined"
        )
        if self.quarantine_reasons:
            text += " (" + "; ".join(f"{n} x {r}" for r, n in self.quarantine_reasons) + ")"
        if self.rows_superseded:
            text += (
                f"; {self.rows_superseded} row(s) repeat the key of another line "
                "(the most recently synced, then the last, is kept)"
            )
        if self.missing_columns:
            text += (
                f"; contract columns missing (NULL in staging): {', '.join(self.missing_columns)}"
            )
        if self.new_columns:
            shown = ", ".join(self.new_columns[:NEW_COLUMNS_SHOWN])
            more = len(self.new_columns) - NEW_COLUMNS_SHOWN
            text += f"; {len(self.new_columns)} columns beyond the contract ({shown}"
            text += f", ... {more} more)" if more > 0 else ")"
        return text + f" ({self.duration_s:.2f}s)"


NEW_COLUMNS_SHOWN = 5
TOP_REASONS = 3
_VALUE_REASON = re.compile(r"^column (?P<column>\S+): .* (?P<what>is not [a-z ]+)$", re.DOTALL)


def reason_kind(reason: str) -> str:
    """A quarantine reason without the offending value, so equal problems group together.

    A row with several bad values is grouped by its first one.
    """
    reason = reason.split("; column ")[0]
    match = _VALUE_REASON.match(reason)
    if match:
        return f"column {match.group('column')} {match.group('what')}"
    return reason if len(reason) <= 80 else reason[:77] + "..."


def top_reasons(reasons: Iterable[str], limit: int = TOP_REASONS) -> tuple[tuple[str, int], ...]:
    """The most frequent reason kinds with their row counts."""
    counts = Counter(reason_kind(r) for r in reasons)
    return tuple(counts.most_common(limit))
