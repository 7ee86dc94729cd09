"""revops simulator: a B2B company's raw CRM, marketing, ad and web tables with known truth.

    from simulator import generate
    truth = generate(Path("landing"), scale=1.0, seed=42)

See simulator/RULES.md for the consistency rules and truth definitions.
"""

from __future__ import annotations

from simulator.core import generate

__all__ = ["generate"]
