"""Soft-deletion times: after the record's last event and before as_of, even for a record
touched in the last hour (revops generate --scale 3 --seed 7 crashed on one)."""

from __future__ import annotations

import numpy as np
import pytest

from simulator.config import AS_OF, HOUR
from simulator.world import deletion_time

pytestmark = pytest.mark.reliability  # a case of issue 20's campaign (docs/reliability.md)


def test_a_record_touched_in_the_last_hour_is_deleted_before_as_of() -> None:
    rng = np.random.default_rng(7)
    for minutes_before in (59, 20, 1):
        last = AS_OF - minutes_before * 60
        when = deletion_time(rng, last)
        assert last <= when < AS_OF


def test_otherwise_deletion_leaves_the_last_hour_free() -> None:
    rng = np.random.default_rng(7)
    last = AS_OF - 30 * 24 * HOUR
    times = [deletion_time(rng, last) for _ in range(200)]
    assert all(last <= t < AS_OF - HOUR for t in times)
    assert len(set(times)) > 100  # still spread over the month, not pinned to one moment
