"""Time helpers: integer seconds since the epoch, connector sync grid, ISO formatting."""

from __future__ import annotations

import numpy as np

from simulator.config import DAY, NEVER

#: Connectors sync every 15 minutes (37 s past the quarter hour).
SYNC_GRID = 900
SYNC_OFFSET = 37
#: A change mirrored in the other system (integration) becomes visible together with its
#: source: both are synced at the first sync after source time + this delay.
COUPLING_DELAY = 600


def sync(t: np.ndarray | int) -> np.ndarray:
    """First connector sync strictly after each change time (NEVER stays NEVER)."""
    arr = np.asarray(t, dtype=np.int64)
    out = ((arr - SYNC_OFFSET) // SYNC_GRID + 1) * SYNC_GRID + SYNC_OFFSET
    return np.where(arr >= NEVER, NEVER, out)


def sync_coupled(t: np.ndarray | int) -> np.ndarray:
    """Sync time of a change and its mirror in the other system (see COUPLING_DELAY)."""
    arr = np.asarray(t, dtype=np.int64)
    return np.where(arr >= NEVER, NEVER, sync(np.minimum(arr, NEVER - 10**6) + COUPLING_DELAY))


def sync1(t: int) -> int:
    """Scalar :func:`sync` (pure Python, for loops)."""
    if t >= NEVER:
        return NEVER
    return ((t - SYNC_OFFSET) // SYNC_GRID + 1) * SYNC_GRID + SYNC_OFFSET


def sync1_coupled(t: int) -> int:
    """Scalar :func:`sync_coupled`."""
    return NEVER if t >= NEVER else sync1(t + COUPLING_DELAY)


def iso(t: np.ndarray) -> np.ndarray:
    """Seconds -> 'YYYY-MM-DDTHH:MM:SSZ' strings ('' for NEVER)."""
    arr = np.asarray(t, dtype=np.int64)
    never = arr >= NEVER
    text = np.datetime_as_string(np.where(never, 0, arr).astype("datetime64[s]"), unit="s")
    out = np.char.add(text.astype(str), "Z").astype(object)
    out[never] = ""
    return out


def iso_date(days: np.ndarray) -> np.ndarray:
    """Day numbers (days since the epoch) -> 'YYYY-MM-DD' ('' for NEVER)."""
    arr = np.asarray(days, dtype=np.int64)
    never = arr >= NEVER
    text = np.datetime_as_string(np.where(never, 0, arr).astype("datetime64[D]"), unit="D")
    out = text.astype(object)
    out[never] = ""
    return out


def calendar_years(t: np.ndarray) -> list[str]:
    """Seconds -> their year, as strings."""
    years = np.asarray(t, dtype=np.int64).astype("datetime64[s]").astype("datetime64[Y]")
    return [str(y) for y in years]


def day_of(t: np.ndarray | int) -> np.ndarray:
    """Seconds -> day number (NEVER stays NEVER)."""
    arr = np.asarray(t, dtype=np.int64)
    return np.where(arr >= NEVER, NEVER, arr // DAY)


def business_time(rng: np.random.Generator, days: np.ndarray) -> np.ndarray:
    """A time of day between 08:00 and 20:00 UTC on each given day number."""
    secs = rng.integers(8 * 3600, 20 * 3600, size=len(days))
    return np.asarray(days, dtype=np.int64) * DAY + secs


def sample_days(
    rng: np.random.Generator, start: int, end: int, count: int, weekend_weight: float = 0.35
) -> np.ndarray:
    """``count`` day numbers in [start, end) (seconds), weekdays weighted above weekends."""
    first, last = start // DAY, end // DAY
    days = np.arange(first, last)
    weekday = (days + 3) % 7  # 1970-01-01 was a Thursday -> Monday = 0
    weights = np.where(weekday >= 5, weekend_weight, 1.0)
    return rng.choice(days, size=count, p=weights / weights.sum())
