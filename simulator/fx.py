"""The warehouse's dated exchange-rate seed and the conversion rule it implies.

amount_usd = amount * usd_per_unit of the latest rate_date <= the conversion date.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from simulator.config import DAY, ts

SEED_PATH = Path(__file__).resolve().parent.parent / "seeds" / "exchange_rates.csv"
#: The rate HubSpot itself applies to a currency the warehouse seed does not know.
HUBSPOT_FALLBACK_RATES = {"CHF": 1.12}


@dataclass(frozen=True)
class Rates:
    """Per currency: sorted rate days (day numbers) and USD per unit."""

    days: dict[str, np.ndarray]
    values: dict[str, np.ndarray]

    def usd_per_unit(self, currency: str, day: int) -> float | None:
        """The rate in force on ``day`` (a day number), None if the seed cannot convert."""
        days = self.days.get(currency)
        if days is None:
            return None
        pos = int(np.searchsorted(days, day, side="right")) - 1
        return None if pos < 0 else float(self.values[currency][pos])


def load_rates(path: Path = SEED_PATH) -> Rates:
    """Read the seed (rate_date,currency_code,usd_per_unit)."""
    if not path.is_file():
        raise FileNotFoundError(f"exchange-rate seed not found: {path}")
    rows: dict[str, list[tuple[int, float]]] = {}
    with path.open(newline="") as fh:
        for line_no, row in enumerate(csv.DictReader(fh), start=2):
            try:
                day = ts(row["rate_date"]) // DAY
                rows.setdefault(row["currency_code"].strip(), []).append(
                    (day, float(row["usd_per_unit"]))
                )
            except (KeyError, ValueError) as exc:
                raise ValueError(f"{path}: line {line_no}: bad exchange-rate row {row}") from exc
    days, values = {}, {}
    for cur, items in rows.items():
        items.sort()
        days[cur] = np.array([d for d, _ in items], dtype=np.int64)
        values[cur] = np.array([v for _, v in items], dtype=np.float64)
    return Rates(days, values)
