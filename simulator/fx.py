"""Money: the warehouse's exchange-rate seed, the Salesforce currency tables, the USD rule.

Reporting currency USD. amount_usd = amount for USD; else amount / conversion_rate of the
Salesforce dated rate covering the date (or the currency_type rate); else amount *
usd_per_unit of the seed's latest rate_date <= the date (the earliest rate before the first:
extrapolated); else not convertible. See docs/money.md.
"""

from __future__ import annotations

import csv
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from simulator.config import DAY, NEVER, ts
from simulator.rng import stream

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


#: Units per USD around which the simulated Salesforce rates of a currency move (a currency
#: not listed gets a level derived from its code).
UNITS_PER_USD = {
    "EUR": 0.92,
    "GBP": 0.79,
    "CHF": 0.89,
    "BRL": 5.1,
    "CAD": 1.36,
    "AUD": 1.52,
    "NZD": 1.65,
    "JPY": 149.0,
    "KRW": 1330.0,
    "CNY": 7.2,
    "HKD": 7.8,
    "SGD": 1.35,
    "INR": 83.0,
    "MXN": 17.5,
    "ZAR": 18.6,
    "SEK": 10.6,
    "NOK": 10.7,
    "DKK": 6.9,
    "PLN": 4.0,
}
#: Currencies without minor units (Salesforce currency_type.decimal_places = 0).
NO_DECIMALS = frozenset({"JPY", "KRW", "CLP", "ISK", "VND", "HUF"})


@dataclass(frozen=True)
class Money:
    """The conversion rule of docs/money.md (money_conversion), reporting in USD.

    ``dated`` and ``corporate`` are the Salesforce multi-currency tables as exported (units of
    the currency per USD, dates as plan day numbers); ``seed`` is seeds/exchange_rates.csv,
    looked up at plan day + ``offset_days`` (the calendar day of a shifted company).
    """

    seed: Rates
    offset_days: int = 0
    #: iso_code -> (start days, next start days (NEVER when open), conversion rates), by start.
    dated: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]] = field(default_factory=dict)
    #: iso_code -> currency_type.conversion_rate
    corporate: dict[str, float] = field(default_factory=dict)

    def sf_rate(self, currency: str, day: int) -> float | None:
        """Salesforce conversion_rate (units per USD) in force on plan ``day``, or None."""
        rows = self.dated.get(currency)
        if rows is not None:
            starts, ends, values = rows
            pos = int(np.searchsorted(starts, day, side="right")) - 1
            if pos >= 0 and day < ends[pos]:
                return float(values[pos])
        return self.corporate.get(currency)

    def to_usd(self, amount: float, currency: str, day: int) -> tuple[float | None, bool]:
        """(amount in USD or None when not convertible, whether the seed rate was extrapolated).

        USD: the amount; else the Salesforce rate (amount / conversion_rate); else the seed
        (amount * usd_per_unit of the latest rate_date <= the day, the earliest rate before the
        currency's first one: extrapolated); else not convertible.
        """
        if currency == "USD":
            return float(amount), False
        rate = self.sf_rate(currency, day)
        if rate is not None:
            return float(amount) / rate, False
        days = self.seed.days.get(currency)
        if days is None or not len(days):
            return None, False
        pos = int(np.searchsorted(days, int(day) + self.offset_days, side="right")) - 1
        return float(amount) * float(self.seed.values[currency][max(pos, 0)]), pos < 0

    def usd_per_unit(self, currency: str, day: int) -> float | None:
        usd, _ = self.to_usd(1.0, currency, day)
        return usd

    @classmethod
    def from_tables(
        cls,
        seed: Rates,
        currency_type: pd.DataFrame,
        dated: pd.DataFrame,
        offset_days: int = 0,
    ) -> Money:
        """The rule over the (typed) Salesforce currency tables as written; empty = none."""
        corporate = {
            str(c): float(r)
            for c, r in zip(
                currency_type["iso_code"], currency_type["conversion_rate"], strict=True
            )
        }
        by: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
        for code, group in dated.groupby("iso_code", sort=True):
            g = group.sort_values("start_date", kind="stable")
            by[str(code)] = (
                g["start_date"].to_numpy(dtype=np.int64),
                g["next_start_date"].to_numpy(dtype=np.int64),
                g["conversion_rate"].to_numpy(dtype=np.float64),
            )
        return cls(seed=seed, offset_days=offset_days, dated=by, corporate=corporate)


def units_per_usd_level(code: str) -> float:
    """The level a currency's simulated rate moves around."""
    if code in UNITS_PER_USD:
        return UNITS_PER_USD[code]
    return 0.5 + (zlib.crc32(code.encode()) % 2000) / 100.0


def plan_salesforce_rates(
    seed: int, codes: tuple[str, ...], first_day: int, last_day: int, offset_days: int
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Salesforce currency_type and dated_conversion_rate rows (plan days, typed).

    One dated row per calendar month from the month of ``first_day`` to the month of
    ``last_day`` (plan days; the calendar is plan day + offset_days) per currency: a
    mean-reverting monthly walk around the currency's level, 6 decimals. The last row of a
    currency is open (next_start_date NEVER). currency_type: USD (corporate, rate 1) and each
    currency at its latest dated rate.
    """
    if not codes:
        return (
            pd.DataFrame(
                {
                    "iso_code": pd.Series([], dtype=object),
                    "conversion_rate": pd.Series([], dtype=np.float64),
                    "decimal_places": pd.Series([], dtype=np.int64),
                    "is_active": pd.Series([], dtype=bool),
                    "is_corporate": pd.Series([], dtype=bool),
                }
            ),
            pd.DataFrame(
                {
                    "iso_code": pd.Series([], dtype=object),
                    "start_date": pd.Series([], dtype=np.int64),
                    "next_start_date": pd.Series([], dtype=np.int64),
                    "conversion_rate": pd.Series([], dtype=np.float64),
                }
            ),
        )
    first = np.datetime64(int(first_day + offset_days), "D").astype("datetime64[M]")
    last = np.datetime64(int(last_day + offset_days), "D").astype("datetime64[M]")
    months = np.arange(first, last + 1)
    starts = months.astype("datetime64[D]").astype(np.int64) - offset_days
    rows = []
    latest: dict[str, float] = {}
    for code in codes:
        rng = stream(seed, "salesforce_rates", code)
        level = units_per_usd_level(code)
        x = float(rng.normal(0.0, 0.05))
        for k, start in enumerate(starts.tolist()):
            rate = round(level * float(np.exp(x)), 6)
            end = int(starts[k + 1]) if k + 1 < len(starts) else NEVER
            rows.append((code, int(start), end, rate))
            x = 0.97 * x + float(rng.normal(0.0, 0.02))
        latest[code] = rows[-1][3]
    dated = pd.DataFrame(rows, columns=["iso_code", "start_date", "next_start_date", "rate"])
    dated = dated.rename(columns={"rate": "conversion_rate"})
    types = pd.DataFrame(
        {
            "iso_code": ["USD", *codes],
            "conversion_rate": [1.0, *(latest[c] for c in codes)],
            "decimal_places": [0 if c in NO_DECIMALS else 2 for c in ("USD", *codes)],
            "is_active": True,
            "is_corporate": [True] + [False] * len(codes),
        }
    )
    return types, dated
