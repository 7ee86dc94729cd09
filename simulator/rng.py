"""Deterministic random streams: one numpy PCG64 generator per (seed, purpose) pair.

Separate streams keep the clean company identical whatever the injection rates are, and let a
month of events be regenerated alone. Stream keys are hashed with CRC32, never Python's hash().
"""

from __future__ import annotations

import zlib

import numpy as np


def stream(seed: int, *keys: str | int) -> np.random.Generator:
    """A generator for one purpose, e.g. ``stream(42, "sessions", 3)``."""
    words = [seed]
    for key in keys:
        words.append(zlib.crc32(key.encode()) if isinstance(key, str) else int(key))
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(words)))
