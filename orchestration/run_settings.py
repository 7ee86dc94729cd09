"""The settings of one run, resolved once: ``as_of``, the run's "now".

Everything relative to the present (ages, SLA clocks, the report's weeks, the checks' clock and
every dbt model that reads ``as_of_timestamp()``) uses one instant per run. Whoever starts a run
resolves it here, once, and stamps it on the run:

- ``revops`` commands: ``--as-of`` or REVOPS_AS_OF, else the current time;
- the daily schedule: the tick's scheduled time;
- the landing sensor: the time of the tick that requested the run.

The run carries it as the tag ``revops/as_of`` (``as_of_tag``); every step reads it from there
(``RevopsResource.run_as_of``), dbt receives it through ``dbt_vars`` (``--vars``), the checks
and the report as an argument. Nothing reads it from ``os.environ`` in the middle of a run.

Light on purpose (standard library only): the CLI imports it before anything else.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, date, datetime

AS_OF_TAG = "revops/as_of"
AS_OF_VAR = "as_of"
AS_OF_EXAMPLES = "e.g. 2026-01-01, 2026-01-01T08:00:00Z or 2026-01-01T10:00:00+02:00"


class AsOfError(ValueError):
    """A value that is not an ISO-8601 date or timestamp."""


def resolve_as_of(value: str | date | None = None, *, now: datetime | None = None) -> datetime:
    """``value`` as a naive UTC datetime: the one parser of as_of.

    - a timestamp with an offset is converted to UTC (``2026-01-01T10:00:00+02:00`` is 08:00);
      ``Z`` means UTC; a timestamp without an offset is taken as UTC;
    - a date alone is midnight UTC of that day;
    - empty or None is ``now`` (default: the current time), truncated to the second.

    Raises ``AsOfError`` naming the value when it is not an ISO-8601 date or timestamp.
    """
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, date):
        parsed = datetime(value.year, value.month, value.day)
    elif value is None or not str(value).strip():
        parsed = (now or datetime.now(UTC)).replace(microsecond=0)
    else:
        text = str(value).strip()
        try:
            parsed = datetime.fromisoformat(text)
        except ValueError:
            raise AsOfError(
                f"as_of {text!r} is not an ISO-8601 date or timestamp ({AS_OF_EXAMPLES})"
            ) from None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(UTC).replace(tzinfo=None)
    return parsed


def format_as_of(as_of: datetime) -> str:
    """The canonical text of a resolved as_of: ISO 8601 in UTC with ``Z``
    (``2026-01-01T08:00:00Z``); ``resolve_as_of`` reads it back unchanged."""
    return resolve_as_of(as_of).isoformat() + "Z"


def as_of_tag(as_of: datetime) -> dict[str, str]:
    """The run tag that stamps a run with its as_of."""
    return {AS_OF_TAG: format_as_of(as_of)}


def as_of_from_tags(tags: Mapping[str, str]) -> datetime | None:
    """The as_of a run was stamped with (``as_of_tag``), or None for an unstamped run."""
    text = tags.get(AS_OF_TAG)
    return resolve_as_of(text) if text else None


def dbt_vars(as_of: datetime, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The dbt vars of a run: ``as_of`` (canonical text) plus ``extra`` (a partition window)."""
    return {AS_OF_VAR: format_as_of(as_of), **(extra or {})}


def dbt_vars_args(as_of: datetime, extra: Mapping[str, str] | None = None) -> list[str]:
    """``["--vars", "<json>"]``: the one way a run's settings reach dbt."""
    return ["--vars", json.dumps(dbt_vars(as_of, extra), sort_keys=True)]
