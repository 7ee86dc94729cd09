"""Company profiles: which real-world shape the simulated company has (simulator/README.md,
Profiles).

A profile never changes how the company is planned unless one of its knobs asks for it; the
default profile writes the default demo byte for byte.
"""

from __future__ import annotations

import argparse
import numbers
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from simulator import channel_effects as effects
from simulator.channel_effects import ChannelEffects
from simulator.schema import ALL_TABLES, CURRENCY_TABLES, TABLES
from simulator.spellings import CHOICES as SPELLINGS
from simulator.spellings import check as check_spellings

CURRENCY_CODE = re.compile(r"^[A-Z]{3}$")
REPORTING_CURRENCY = "USD"
#: The source systems, in the order of the contract.
SYSTEMS = ("salesforce", "hubspot", "ads", "web")
#: The simulator plans every company in this year (config.PERIOD_START); start_year shifts it.
PLAN_YEAR = 2025
START_YEARS = (2000, PLAN_YEAR)
MAX_COUNT = 100_000
#: The stage-history tables (not written with stage_history=False).
STAGE_HISTORY_TABLES = (
    "salesforce/opportunity_field_history",
    "salesforce/opportunity_history",
    "hubspot/deal_stage",
)
#: Where a Salesforce company keeps its stage history (salesforce_stage_history).
SALESFORCE_STAGE_HISTORIES = {
    "field_history": "salesforce/opportunity_field_history",
    "opportunity_history": "salesforce/opportunity_history",
}
#: The business fields missing_fields empties ("system/table.column").
MISSING_FIELDS = (
    "salesforce/opportunity.created_date",
    "salesforce/lead.email",
    "salesforce/contact.email",
    "hubspot/contact.property_email",
)


def _of(*systems: str) -> tuple[str, ...]:
    return tuple(t for t in TABLES if t.split("/")[0] in systems)


#: Named company shapes: the tables each one exports (combinable with every other option).
PRESETS: dict[str, tuple[str, ...]] = {
    "everything": tuple(TABLES),
    "crm-only": ("salesforce/account", "salesforce/opportunity", "salesforce/user"),
    "crm-leads": tuple(
        t
        for t in _of("salesforce")
        if t not in ("salesforce/contact", "salesforce/opportunity_contact_role")
    ),
    "marketing-only": _of("hubspot"),
    "ads-only": _of("ads"),
    "web-ads": _of("ads", "web"),
    "marketing-crm": _of("salesforce", "hubspot"),
}
PRESET_HELP = {
    "everything": "every system and table (the default)",
    "crm-only": "Salesforce account, opportunity and user only",
    "crm-leads": "Salesforce without contacts and contact roles",
    "marketing-only": "HubSpot only",
    "ads-only": "ad platforms only",
    "web-ads": "web sessions and ad platforms",
    "marketing-crm": "Salesforce and HubSpot, no ads, no web",
}


@dataclass(frozen=True)
class Profile:
    """The shape of the simulated company (every field is a generate() option)."""

    #: The preset asked for ("everything" by default, "custom" when only systems or
    #: omit_tables narrowed the tables).
    name: str = "everything"
    #: The tables written, in contract order; every other table is absent (no file).
    tables: tuple[str, ...] = tuple(TABLES)
    #: Won opportunities in this currency, which no rate source knows (None: no injection).
    unconvertible_currency: str | None = None
    #: Salesforce multi-currency: about a third of the non-renewal opportunities are booked in
    #: these currencies, and salesforce/currency_type and dated_conversion_rate are written.
    currencies: tuple[str, ...] = ()
    #: The year the period starts in: the whole company moves back by whole weeks.
    start_year: int = PLAN_YEAR
    #: Open opportunities closing 2-5 years after as_of, HubSpot contacts created after as_of.
    future_dates: int = 0
    #: False: salesforce/opportunity_field_history and hubspot/deal_stage are not written.
    stage_history: bool = True
    #: "opportunity_history": the Salesforce stage history is written as OpportunityHistory
    #: (salesforce/opportunity_history) instead of the StageName field history.
    salesforce_stage_history: str = "field_history"
    #: Share (0..0.5) of the rows of each MISSING_FIELDS table whose field is empty.
    missing_fields: float = 0.0
    #: Marketplace sellers: extra Salesforce accounts whose contacts share one email domain.
    shared_domain_accounts: int = 0
    #: "vendor": channel picklist values and opportunity types written in real-world spellings,
    #: some types left empty (simulator/spellings.py).
    channel_spellings: str = "canonical"
    #: The causal model of conversion (simulator/channel_effects.py); None: channel win rates.
    channel_effects: ChannelEffects | None = None
    #: Ad accounts billed in these currencies (the i-th ad account in ad_currencies[i % n]):
    #: spend written in the account's currency, with ads/ad_stats' currency_code column.
    ad_currencies: tuple[str, ...] = ()

    @property
    def offset_days(self) -> int:
        """Plan day + offset_days = calendar day: minus the whole weeks that bring the plan's
        period start (PLAN_YEAR-01-01) into the first 7 days of start_year."""
        gap = (date(PLAN_YEAR, 1, 1) - date(self.start_year, 1, 1)).days
        return -7 * (gap // 7)

    @property
    def offset(self) -> int:
        """offset_days in seconds."""
        return self.offset_days * 86_400

    def has(self, table: str) -> bool:
        return table in self.tables

    @property
    def optional_tables(self) -> tuple[str, ...]:
        """The optional tables the options ask for (written unless omitted)."""
        currency = CURRENCY_TABLES if self.currencies else ()
        history = (
            ("salesforce/opportunity_history",)
            if self.salesforce_stage_history == "opportunity_history"
            else ()
        )
        return (*currency, *history)

    def knobs(self) -> dict[str, object]:
        """The options as written to ground_truth.json["profile"] (besides the tables);
        channel_effects only when set, so the default truth keeps its bytes."""
        extra: dict[str, object] = (
            {} if self.channel_effects is None else {"channel_effects": self.channel_effects.name}
        )
        if self.salesforce_stage_history != "field_history":
            extra["salesforce_stage_history"] = self.salesforce_stage_history
        if self.ad_currencies:
            extra["ad_currencies"] = list(self.ad_currencies)
        return {
            **extra,
            "start_year": self.start_year,
            "future_dates": self.future_dates,
            "stage_history": self.stage_history,
            "missing_fields": self.missing_fields,
            "shared_domain_accounts": self.shared_domain_accounts,
            "currencies": list(self.currencies),
            "unconvertible_currency": self.unconvertible_currency,
            "channel_spellings": self.channel_spellings,
        }

    def block(self) -> dict[str, object]:
        """ground_truth.json["profile"]."""
        return {
            "name": self.name,
            "systems": [s for s in SYSTEMS if any(t.startswith(s + "/") for t in self.tables)],
            "tables_written": sorted(self.tables),
            "tables_absent": sorted(
                t for t in (*TABLES, *self.optional_tables) if t not in self.tables
            ),
            **self.knobs(),
        }


def _currency(name: str, value: object) -> str:
    if not isinstance(value, str) or not CURRENCY_CODE.match(value):
        raise ValueError(f"{name} must be a 3-letter upper-case currency code, got {value!r}")
    if value == REPORTING_CURRENCY:
        raise ValueError(f"{name} cannot be {REPORTING_CURRENCY}, the reporting currency")
    return value


def _codes(name: str, value: object) -> list[str]:
    """A comma-separated string or an iterable of currency codes, each given once."""
    if isinstance(value, str):
        items = [x.strip() for x in value.split(",") if x.strip()]
    elif isinstance(value, Iterable):
        items = list(value)
    else:
        raise ValueError(f"{name} must be a list of currency codes, got {value!r}")
    for item in items:
        if not isinstance(item, str) or not CURRENCY_CODE.match(item):
            raise ValueError(f"{name} must be 3-letter upper-case currency codes, got {item!r}")
    if not items:
        raise ValueError(f"{name} must name at least one currency (e.g. BRL,EUR)")
    if len(set(items)) != len(items):
        raise ValueError(f"{name} lists a currency twice: {','.join(items)}")
    if len(items) > 12:
        raise ValueError(f"{name}: at most 12 currencies, got {len(items)}")
    return items


def _names(name: str, value: object, allowed: Iterable[str]) -> list[str]:
    """A comma-separated string or an iterable of strings, each one of ``allowed``."""
    if isinstance(value, str):
        items = [x.strip() for x in value.split(",") if x.strip()]
    elif isinstance(value, Iterable) and all(isinstance(x, str) for x in value):
        items = [x.strip() for x in value]
    else:
        raise ValueError(f"{name} must be a comma-separated string or a list of names")
    known = list(allowed)
    bad = [x for x in items if x not in known]
    if bad:
        raise ValueError(f"{name}: unknown {', '.join(map(repr, bad))}; known: {', '.join(known)}")
    return items


def _count(name: str, value: object, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{name} must be a whole number, got {value!r}")
    if not low <= int(value) <= high:
        raise ValueError(f"{name} must be between {low} and {high}, got {value!r}")
    return int(value)


def build_profile(
    *,
    profile: str | None = None,
    systems: str | Iterable[str] | None = None,
    omit_tables: str | Iterable[str] | None = None,
    start_year: int = PLAN_YEAR,
    future_dates: int = 0,
    stage_history: bool = True,
    salesforce_stage_history: str = "field_history",
    missing_fields: float = 0.0,
    shared_domain_accounts: int = 0,
    currencies: str | Iterable[str] | None = None,
    unconvertible_currency: str | None = None,
    channel_spellings: str = "canonical",
    channel_effects: str | ChannelEffects | None = None,
    ad_currencies: str | Iterable[str] | None = None,
    seed_currencies: Iterable[str] = (),
) -> Profile:
    """Validate the profile options (ValueError naming the option) and return the Profile.

    The tables written are the preset's (plus the optional tables an option asks for when the
    company has Salesforce), restricted to ``systems`` when given, minus ``omit_tables``.
    """
    year = _count("start_year", start_year, *START_YEARS)
    future = _count("future_dates", future_dates, 0, MAX_COUNT)
    sellers = _count("shared_domain_accounts", shared_domain_accounts, 0, MAX_COUNT)
    spellings = check_spellings(channel_spellings)
    model = effects.parse(channel_effects)
    if not isinstance(stage_history, bool):
        raise ValueError(f"stage_history must be True or False, got {stage_history!r}")
    if salesforce_stage_history not in SALESFORCE_STAGE_HISTORIES:
        raise ValueError(
            "salesforce_stage_history must be one of "
            f"{', '.join(SALESFORCE_STAGE_HISTORIES)}, got {salesforce_stage_history!r}"
        )
    if (
        isinstance(missing_fields, bool)
        or not isinstance(missing_fields, numbers.Real)
        or not 0 <= float(missing_fields) <= 0.5
    ):
        raise ValueError(
            f"missing_fields must be a share between 0 and 0.5, got {missing_fields!r}"
        )
    codes: tuple[str, ...] = ()
    if currencies is not None:
        codes = tuple(_currency("currencies", x) for x in _codes("currencies", currencies))
    if profile is not None and profile not in PRESETS:
        raise ValueError(f"profile must be one of {', '.join(PRESETS)}, got {profile!r}")
    tables = PRESETS[profile or "everything"]
    if codes and any(t.startswith("salesforce/") for t in tables):
        tables = (*tables, *CURRENCY_TABLES)
    # the Salesforce stage history in the table the company keeps it in
    field_history = SALESFORCE_STAGE_HISTORIES["field_history"]
    if salesforce_stage_history != "field_history" and field_history in tables:
        chosen = SALESFORCE_STAGE_HISTORIES[salesforce_stage_history]
        tables = tuple(chosen if t == field_history else t for t in tables)
    if systems is not None:
        wanted = _names("systems", systems, SYSTEMS)
        if not wanted:
            raise ValueError("systems must name at least one system")
        tables = tuple(t for t in tables if t.split("/")[0] in wanted)
    if omit_tables is not None:
        omitted = _names("omit_tables", omit_tables, ALL_TABLES)
        tables = tuple(t for t in tables if t not in omitted)
    if not stage_history:
        tables = tuple(t for t in tables if t not in STAGE_HISTORY_TABLES)
    if not tables:
        raise ValueError("profile, systems, omit_tables and stage_history leave no table to write")
    tables = tuple(t for t in ALL_TABLES if t in set(tables))
    name = profile or ("everything" if systems is None and omit_tables is None else "custom")
    if unconvertible_currency is not None:
        code = _currency("unconvertible_currency", unconvertible_currency)
        if code in set(seed_currencies):
            raise ValueError(
                f"unconvertible_currency {code} has rates in seeds/exchange_rates.csv; "
                "name a currency without any rate (e.g. CHF)"
            )
        if code in codes:
            raise ValueError(
                f"unconvertible_currency {code} is one of currencies, which have rates"
            )
    ad_codes: tuple[str, ...] = ()
    if ad_currencies is not None:
        ad_codes = tuple(_codes("ad_currencies", ad_currencies))
        salesforce_rates = codes if any(t in tables for t in CURRENCY_TABLES) else ()
        known = {REPORTING_CURRENCY, *seed_currencies, *salesforce_rates}
        unknown = [c for c in ad_codes if c not in known]
        if unknown:
            raise ValueError(
                f"ad_currencies {','.join(unknown)} has no exchange rate (seeds/exchange_rates.csv"
                f" knows {','.join(sorted(set(seed_currencies)))}; or list it in currencies)"
            )
    return Profile(
        name=name,
        tables=tables,
        unconvertible_currency=unconvertible_currency,
        currencies=codes,
        start_year=year,
        future_dates=future,
        stage_history=stage_history,
        salesforce_stage_history=salesforce_stage_history,
        missing_fields=float(missing_fields),
        shared_domain_accounts=sellers,
        channel_spellings=spellings,
        channel_effects=model,
        ad_currencies=ad_codes,
    )


# --- command-line options (python -m simulator and revops generate) ------------------------
def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The profile options of both command lines (values are validated by generate())."""
    group = parser.add_argument_group(
        "company profile", "the shape of the simulated company (simulator/README.md, Profiles)"
    )
    group.add_argument(
        "--profile",
        metavar="NAME",
        default=None,
        help="a named company shape: "
        + "; ".join(f"{k} = {v}" for k, v in PRESET_HELP.items())
        + " (default everything)",
    )
    group.add_argument(
        "--systems",
        metavar="LIST",
        default=None,
        help="comma-separated source systems the company has, of "
        + ",".join(SYSTEMS)
        + " (default: the profile's)",
    )
    group.add_argument(
        "--omit-tables",
        metavar="LIST",
        default=None,
        help="comma-separated system/table names not exported (no file at all), e.g. "
        "salesforce/contact,salesforce/lead; the truth counts them as empty tables",
    )
    group.add_argument(
        "--start-year",
        metavar="YYYY",
        type=int,
        default=PLAN_YEAR,
        help=f"long history: the year the simulated period starts in ({START_YEARS[0]}.."
        f"{START_YEARS[1]}); every date moves back by whole weeks, weekdays kept "
        f"(default {PLAN_YEAR})",
    )
    group.add_argument(
        "--future-dates",
        metavar="N",
        type=int,
        default=0,
        help="data reaching past as_of: N open opportunities expected to close 2 to 5 years "
        "after as_of and N HubSpot contacts created after as_of (default 0)",
    )
    group.add_argument(
        "--no-stage-history",
        dest="stage_history",
        action="store_false",
        help="the company exports no stage history: salesforce/opportunity_field_history and "
        "hubspot/deal_stage are not written (facts unchanged)",
    )
    group.add_argument(
        "--salesforce-stage-history",
        choices=tuple(SALESFORCE_STAGE_HISTORIES),
        default="field_history",
        help="where the Salesforce stage history is kept: field_history (the StageName rows of "
        "salesforce/opportunity_field_history) or opportunity_history (Salesforce's own "
        "OpportunityHistory, salesforce/opportunity_history: a row on creation and on every "
        "stage change; same facts) (default field_history)",
    )
    group.add_argument(
        "--missing-fields",
        metavar="R",
        type=float,
        default=0.0,
        help="rows missing business fields: a share R (0..0.5, at least one row each when R > "
        "0) of opportunities without created_date, leads, Salesforce contacts and HubSpot "
        "contacts without email (default 0)",
    )
    group.add_argument(
        "--shared-domain-accounts",
        metavar="N",
        type=int,
        default=0,
        help="a marketplace: N more Salesforce accounts (sellers) whose contacts all have "
        "emails on one shared domain, about a quarter of them customers (default 0)",
    )
    group.add_argument(
        "--currencies",
        metavar="LIST",
        default=None,
        help="Salesforce multi-currency: about a third of the non-renewal opportunities are "
        "booked in these currencies (e.g. BRL,EUR), converted with the Salesforce tables "
        "currency_type and dated_conversion_rate the company then exports; default: none",
    )
    group.add_argument(
        "--unconvertible-currency",
        metavar="CODE",
        default=None,
        help="book about 1%% of won renewals and expansions in CODE (e.g. CHF), a currency "
        "without any exchange rate: the reconciliation error path; default: none",
    )
    group.add_argument(
        "--channel-spellings",
        metavar="MODE",
        choices=SPELLINGS,
        default="canonical",
        help="how channel picklist values are written: canonical (one value per channel, the "
        "default) or vendor (real-world spellings mixed in one company: Salesforce lead_source "
        "'Website', 'Google AdWords', 'Word of mouth'..., utm 'adwords'/'ppc', 'fb'/'paidsocial', "
        "search referrers google.co.uk, duckduckgo.com..., opportunity types 'New Customer', "
        "'Existing Customer - Upgrade', 'Upsell'... and a share without a type)",
    )
    group.add_argument(
        "--ad-currencies",
        metavar="LIST",
        default=None,
        help="ad accounts billed in these currencies (e.g. EUR,USD; each one USD, in "
        "seeds/exchange_rates.csv or in --currencies): the i-th ad account spends in the i-th "
        "currency, round robin, and ads/ad_stats gets the column currency_code; the truth is "
        "in USD; default: none (spend in USD, no currency column)",
    )

    group.add_argument(
        "--channel-effects",
        metavar="MODEL",
        default=None,
        help="a causal model of conversion with known channel effects (ground_truth.json "
        "channel_effects gives each channel's true incremental share): a preset, "
        + "; ".join(f"{k} = {v}" for k, v in effects.PRESET_HELP.items())
        + f", or a spec [base=B,]CHANNEL=EFFECT@PRESENCE,... (base {effects.DEFAULT_BASE}; "
        "channels " + ",".join(effects.CHANNELS) + "): an exposed New Business opportunity "
        "wins with probability base + the effects of its channels; default: none (channel "
        "win rates)",
    )


def kwargs_from_args(args: argparse.Namespace) -> dict[str, object]:
    """generate() keyword arguments from parsed command-line options."""
    return {
        "profile": args.profile,
        "systems": args.systems,
        "omit_tables": args.omit_tables,
        "start_year": args.start_year,
        "future_dates": args.future_dates,
        "stage_history": args.stage_history,
        "salesforce_stage_history": args.salesforce_stage_history,
        "missing_fields": args.missing_fields,
        "shared_domain_accounts": args.shared_domain_accounts,
        "currencies": args.currencies,
        "unconvertible_currency": args.unconvertible_currency,
        "channel_spellings": args.channel_spellings,
        "channel_effects": args.channel_effects,
        "ad_currencies": args.ad_currencies,
    }
