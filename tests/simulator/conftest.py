"""Small simulated companies shared by the simulator tests (generated once per session)."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator import generate

SCALE = 0.04
SEED = 11


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    """Default injection rates."""
    out = tmp_path_factory.mktemp("sim_demo")
    return out, generate(out, scale=SCALE, seed=SEED)


@pytest.fixture(scope="session")
def clean(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    """inconsistency_rate = 0."""
    out = tmp_path_factory.mktemp("sim_clean")
    return out, generate(out, scale=SCALE, seed=SEED, inconsistency_rate=0.0)


@pytest.fixture(scope="session")
def batches(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[Path, dict]]:
    """Batches 1 and 2 after the demo's base load."""
    out = []
    for k in (1, 2):
        folder = tmp_path_factory.mktemp(f"sim_batch{k}")
        out.append((folder, generate(folder, scale=SCALE, seed=SEED, batch=k)))
    return out


@pytest.fixture(scope="session")
def vendor(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    """The demo company written in real-world channel spellings."""
    out = tmp_path_factory.mktemp("sim_vendor")
    return out, generate(out, scale=SCALE, seed=SEED, channel_spellings="vendor")
