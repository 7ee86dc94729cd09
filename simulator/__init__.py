"""revops simulator: a B2B company's raw CRM, marketing, ad and web tables with known truth.

    from simulator import generate
    truth = generate(Path("landing"), scale=1.0, seed=42)

The truth follows the warehouse's definitions in docs/ (the quality rules, people, channels,
attribution, money); simulator/README.md describes the files, the truth keys and the profiles.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from simulator.core import generate

__all__ = ["generate"]


def __getattr__(name: str) -> object:
    # generate() pulls in numpy and pandas: import it on first use only, so the command lines
    # can read the light simulator.profile module (their --help) without that cost.
    if name == "generate":
        from simulator.core import generate

        return generate
    raise AttributeError(f"module 'simulator' has no attribute {name!r}")
