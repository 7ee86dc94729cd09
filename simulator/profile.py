"""Company profiles: which real-world shape the simulated company has (see RULES.md, Profiles).

A profile never changes how the company is planned unless one of its knobs asks for it; the
default profile writes the default demo byte for byte.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterable
from dataclasses import dataclass

CURRENCY_CODE = re.compile(r"^[A-Z]{3}$")
REPORTING_CURRENCY = "USD"


@dataclass(frozen=True)
class Profile:
    """The shape of the simulated company (every field is a generate() option)."""

    #: Won opportunities in this currency, which no rate source knows (None: no injection).
    unconvertible_currency: str | None = None

    def knobs(self) -> dict[str, object]:
        """The options as written to ground_truth.json["profile"]."""
        return {"unconvertible_currency": self.unconvertible_currency}


def _currency(name: str, value: object) -> str:
    if not isinstance(value, str) or not CURRENCY_CODE.match(value):
        raise ValueError(f"{name} must be a 3-letter upper-case currency code, got {value!r}")
    if value == REPORTING_CURRENCY:
        raise ValueError(f"{name} cannot be {REPORTING_CURRENCY}, the reporting currency")
    return value


def build_profile(
    *,
    unconvertible_currency: str | None = None,
    seed_currencies: Iterable[str] = (),
) -> Profile:
    """Validate the profile options (ValueError naming the option) and return the Profile."""
    if unconvertible_currency is not None:
        code = _currency("unconvertible_currency", unconvertible_currency)
        if code in set(seed_currencies):
            raise ValueError(
                f"unconvertible_currency {code} has rates in seeds/exchange_rates.csv; "
                "name a currency without any rate (e.g. CHF)"
            )
    return Profile(unconvertible_currency=unconvertible_currency)


# --- command-line options (python -m simulator and revops generate) ------------------------
def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The profile options of both command lines (values are validated by generate())."""
    group = parser.add_argument_group(
        "company profile", "the shape of the simulated company (simulator/RULES.md, Profiles)"
    )
    group.add_argument(
        "--unconvertible-currency",
        metavar="CODE",
        default=None,
        help="book about 1%% of won renewals and expansions in CODE (e.g. CHF), a currency "
        "without any exchange rate: the reconciliation error path; default: none",
    )


def kwargs_from_args(args: argparse.Namespace) -> dict[str, object]:
    """generate() keyword arguments from parsed command-line options."""
    return {"unconvertible_currency": args.unconvertible_currency}
