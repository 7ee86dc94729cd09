"""The run's "now" as the checks see it (the rules themselves are dbt models: models/quality)."""

from __future__ import annotations

from datetime import UTC, datetime


def as_of_datetime(as_of: str) -> datetime:
    """The run's "now": settings.as_of (ISO date or timestamp, UTC) or the current time."""
    if not as_of.strip():
        return datetime.now(UTC).replace(tzinfo=None, microsecond=0)
    parsed = datetime.fromisoformat(as_of.strip().replace("Z", "+00:00"))
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(UTC).replace(tzinfo=None)
    return parsed
