"""Small simulated companies shared by the simulator tests (generated once per session), the
seed's exchange rates, and ``simulate`` for a module's own companies."""

from __future__ import annotations

from pathlib import Path

import pytest
import sim_rederive as rd
from sim_companies import Companies

SCALE = 0.04
SEED = 11


@pytest.fixture(scope="session")
def simulate(tmp_path_factory: pytest.TempPathFactory) -> Companies:
    return Companies(tmp_path_factory)


@pytest.fixture(scope="session")
def rates() -> rd.Rates:
    """seeds/exchange_rates.csv as the re-derivation reads it (read-only)."""
    return rd.Rates()


@pytest.fixture(scope="session")
def demo(simulate: Companies) -> tuple[Path, dict]:
    """Default injection rates."""
    return simulate("sim_demo", scale=SCALE, seed=SEED)


@pytest.fixture(scope="session")
def clean(simulate: Companies) -> tuple[Path, dict]:
    """inconsistency_rate = 0."""
    return simulate("sim_clean", scale=SCALE, seed=SEED, inconsistency_rate=0.0)


@pytest.fixture(scope="session")
def batches(simulate: Companies) -> list[tuple[Path, dict]]:
    """Batches 1 and 2 after the demo's base load."""
    return [simulate(f"sim_batch{k}", scale=SCALE, seed=SEED, batch=k) for k in (1, 2)]


@pytest.fixture(scope="session")
def vendor(simulate: Companies) -> tuple[Path, dict]:
    """The demo company written in real-world channel spellings."""
    return simulate("sim_vendor", scale=SCALE, seed=SEED, channel_spellings="vendor")
