"""How numbers read in the report: units guessed from the column name, changes and targets."""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

MONEY_WORDS = ("usd", "amount", "revenue", "spend", "cac", "cost", "bookings", "pipeline", "clv")
PERCENT_WORDS = ("rate", "pct", "percent", "share", "compliance", "ratio_pct", "retention", "churn")
MULTIPLE_WORDS = ("roas", "roi", "clv_to_cac", "clv_cac", "ltv_cac")
HOURS_WORDS = ("hours", "speed_to_lead")
DAYS_WORDS = ("days", "cycle")
# For these a fall is good news: costs, delays, churn.
LOWER_IS_BETTER = ("cac", "cost", "speed", "hours", "minutes", "days", "cycle", "churn", "breach")


#: How an amount of a currency is written; any other currency by its code ("CHF 12.3k").
CURRENCY_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "INR": "₹", "BRL": "R$"}
_CURRENCY: ContextVar[str] = ContextVar("report_currency", default="USD")


@contextmanager
def report_currency(code: str) -> Iterator[None]:
    """Amounts formatted inside this block are in ``code`` (the reporting currency)."""
    token = _CURRENCY.set(code)
    try:
        yield
    finally:
        _CURRENCY.reset(token)


def money_prefix() -> str:
    """'$' for USD, '€' for EUR, ..., else the code and a space."""
    code = _CURRENCY.get()
    return CURRENCY_SYMBOLS.get(code, f"{code} ")


def money_text(value: float, formats: tuple[str, str, str], thousands_from: float = 1_000) -> str:
    """An amount in the reporting currency: sign, symbol, then millions (formats[0]),
    thousands from ``thousands_from`` (formats[1]) or units (formats[2])."""
    sign, v, cur = "-" if value < 0 else "", abs(value), money_prefix()
    if v >= 1_000_000:
        return f"{sign}{cur}{format(v / 1_000_000, formats[0])}M"
    if v >= thousands_from:
        return f"{sign}{cur}{format(v / 1_000, formats[1])}k"
    return f"{sign}{cur}{format(v, formats[2])}"


def unit_of(name: str) -> str:
    """'money', 'percent', 'multiple', 'hours', 'days' or 'count' from a metric/column name."""
    n = name.lower()
    if any(w in n for w in MULTIPLE_WORDS):
        return "multiple"
    if any(w in n for w in PERCENT_WORDS):
        return "percent"
    if any(w in n for w in MONEY_WORDS):
        return "money"
    if any(w in n for w in HOURS_WORDS):
        return "hours"
    if any(w in n for w in DAYS_WORDS):
        return "days"
    return "count"


def lower_is_better(name: str) -> bool:
    return any(w in name.lower() for w in LOWER_IS_BETTER)


def as_float(value: Any) -> float | None:
    """A float, or None for missing and non-numeric values."""
    if value is None or isinstance(value, bool | str):
        return None
    try:
        out = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(out) or math.isinf(out) else out


def fmt(value: Any, unit: str) -> str:
    """One number for people: 12,345 / $12.3k / 42.0% / 3.1x / 5.2 h."""
    v = as_float(value)
    if v is None:
        return (
            "–" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)
        )
    if unit == "money":
        return money_text(v, (",.2f", ",.1f", ",.0f"), thousands_from=10_000)
    if unit == "percent":
        return f"{v * 100:.1f}%"  # the marts keep rates as fractions
    if unit == "multiple":
        return f"{v:.2f}x"
    if unit == "hours":
        return f"{v:,.1f} h"
    if unit == "days":
        return f"{v:,.1f} d"
    return f"{v:,.0f}" if float(v).is_integer() else f"{v:,.2f}"


def change(current: Any, previous: Any) -> str:
    """Relative change current vs previous ('+12.5%', '–', 'new')."""
    c, p = as_float(current), as_float(previous)
    if c is None or p is None:
        return "–"
    if p == 0:
        return "new" if c else "±0%"
    pct = (c - p) / abs(p) * 100
    return f"{pct:+.1f}%"


def trend(current: Any, previous: Any, name: str) -> str:
    """'up'/'down'/'flat' semantic direction: 'good', 'bad' or '' for the CSS class."""
    c, p = as_float(current), as_float(previous)
    if c is None or p is None or c == p:
        return ""
    better = c < p if lower_is_better(name) else c > p
    return "good" if better else "bad"


def vs_target(actual: Any, target: Any, name: str) -> tuple[str, str]:
    """('on target' | 'below target' | ..., css class) for a metric against its target."""
    a, t = as_float(actual), as_float(target)
    if a is None or t is None:
        return "–", ""
    if lower_is_better(name):
        return ("on target", "good") if a <= t else ("above target", "bad")
    return ("on target", "good") if a >= t else ("below target", "bad")


def label(name: str) -> str:
    """A column name as a heading: 'sla_compliance_rate' -> 'SLA compliance rate'."""
    caps = {"sla", "cac", "roas", "roi", "mql", "sql", "sal", "usd", "clv", "ltv", "kpi", "mom"}
    words = [w.upper() if w.lower() in caps else w for w in name.replace("_", " ").split()]
    text = " ".join(words)
    return text[:1].upper() + text[1:]
