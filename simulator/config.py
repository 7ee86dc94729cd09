"""Configuration of the simulated company: volumes, funnel shape and injection rates.

Every number that shapes the data lives here with its default, so a reader can see why the
generated company looks the way it does and a caller can change one knob without touching code.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass, field, fields, replace
from datetime import UTC, datetime

from simulator.profile import Profile

DAY = 86_400
HOUR = 3_600

#: "Never happens" sentinel for event times (int64 seconds since the epoch).
NEVER = 2**62


def ts(text: str) -> int:
    """ISO date or timestamp (UTC) -> integer seconds since the epoch."""
    value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return int(value.timestamp())


PERIOD_START = ts("2025-01-01")
PERIOD_END = ts("2025-12-31")  # last day of the period (inclusive)
AS_OF = ts("2026-01-01T00:00:00Z")
#: Customers acquired before the period (renewals and expansions happen in the period).
LEGACY_START = ts("2024-01-01")
#: The world is simulated this many days past as_of so that batches 1..N can be replayed.
BATCH_HORIZON_DAYS = 30
HORIZON_END = AS_OF + (BATCH_HORIZON_DAYS + 1) * DAY


@dataclass(frozen=True)
class InjectionRates:
    """Default rates of every injected disagreement (before the inconsistency_rate multiplier).

    A rate is the share of the eligible rows that get the disagreement; at least one row is
    injected whenever the effective rate is > 0 and an eligible row exists, so every rule fires
    even at small scales. All are multiplied by ``inconsistency_rate`` (0 = clean company).
    """

    #: SF lead/contact email differs from HubSpot only by case or surrounding spaces.
    email_case_whitespace: float = 0.04
    #: Marketing contacts duplicated in HubSpot and then merged (survivor lists merged ids).
    duplicate_merged: float = 0.012
    #: Share of merged duplicates whose merged record is kept as _fivetran_deleted (else gone).
    merged_kept_deleted_share: float = 0.5
    #: Marketing contacts duplicated in HubSpot and NOT merged (same normalised email).
    duplicate_unmerged: float = 0.008
    #: CRM leads with a marketing lead_source imported into Salesforce only (no HubSpot contact).
    crm_lead_without_marketing_contact: float = 0.01
    #: MQLs the HubSpot -> Salesforce sync never created a lead for.
    mql_never_synced: float = 0.02
    #: Converted leads whose HubSpot lifecycle stage was never updated.
    lifecycle_not_updated: float = 0.04
    #: HubSpot contacts marked 'customer' although their account has no won opportunity.
    false_customer: float = 0.02
    #: Linked deals whose amount differs from the converted opportunity amount.
    deal_amount_mismatch: float = 0.03
    #: Linked deals whose close date differs by more than a day.
    deal_close_date_mismatch: float = 0.03
    #: Linked deals left in another stage class (open/won/lost) than their opportunity.
    deal_stage_mismatch: float = 0.02
    #: Soft-deleted rows (leads, tasks, opportunities, HubSpot contacts and deals).
    soft_deleted: float = 0.01
    #: Opportunities whose account_id points to an account that does not exist.
    orphan_opportunity: float = 0.01
    #: Salesforce contacts without an account.
    contact_without_account: float = 0.005
    #: Email events sent to recipients no HubSpot contact has.
    unknown_recipient_event: float = 0.002
    #: Timeline inversions (MQL before create, close before create, converted before created).
    timeline_inversion: float = 0.01
    #: Leads whose row arrives in a later sync (batch 1) although created in the period.
    late_arriving: float = 0.005
    #: Number of distinct unmapped picklist values (lead_source, utm_*, analytics source...).
    unmapped_values: float = 4.0
    #: Share of rows using an injected unmapped value (per value, at least one row).
    unmapped_value_rows: float = 0.002
    #: Records whose owner is missing (empty owner_id).
    owner_missing: float = 0.005
    #: Records owned by an inactive user.
    owner_inactive: float = 0.01
    #: Linked deals whose HubSpot owner is not the opportunity owner.
    deal_owner_mismatch: float = 0.02
    #: Open opportunities left stale (past close date or no activity for 30+ days).
    stale_open_opportunity: float = 0.08
    #: Number of monitored tables whose connector stopped syncing (freshness).
    stale_tables: float = 1.0
    #: Web sessions delivered without a session_id (must be quarantined: conservation).
    session_without_id: float = 0.001
    #: Won opportunities in a currency no rate source knows (reconciliation). 0 by default: the
    #: warehouse treats a currency without any rate as an error that stops the KPI marts, so
    #: the demo has none; the ``unconvertible_currency`` option of generate() (a currency code)
    #: turns it on at UNCONVERTIBLE_RATE.
    unconvertible_currency: float = 0.0

    def scaled(self, multiplier: float) -> InjectionRates:
        """Every rate multiplied (the kept-deleted share is a split, not a rate)."""
        changes = {
            f.name: getattr(self, f.name) * multiplier
            for f in fields(self)
            if f.name != "merged_kept_deleted_share"
        }
        return replace(self, **changes)


#: Rate of the unconvertible-currency injection when the option names a currency.
UNCONVERTIBLE_RATE = 0.01


@dataclass(frozen=True)
class SimConfig:
    """Volumes (at scale 1) and funnel shape of the simulated company."""

    scale: float = 1.0
    seed: int = 42
    inconsistency_rate: float = 1.0
    rates: InjectionRates = field(default_factory=InjectionRates)
    profile: Profile = field(default_factory=Profile)

    # volumes at scale 1 (per simulated year)
    companies: int = 4_500
    inbound_people: int = 17_000
    outbound_leads: int = 1_800
    legacy_customers: int = 220
    anonymous_sessions: int = 45_000
    ads: int = 120
    email_sends_per_campaign_share: float = 0.12
    daily_nurture_share: float = 0.004

    # funnel shape
    subscriber_share: float = 0.15
    hand_raiser_share: float = 0.35
    mql_delay_mean_days: float = 20.0
    sal_share: float = 0.9
    qualify_share_inbound: float = 0.40
    qualify_share_outbound: float = 0.18
    win_rate_new_business: float = 0.28
    win_rate_renewal: float = 0.85
    win_rate_expansion: float = 0.6
    cycle_median_days: float = 42.0
    cycle_sigma: float = 0.75
    expansions_per_customer_year: float = 0.35
    deal_sync_share: float = 0.9
    deal_size_median_usd: float = 15_000.0

    def __post_init__(self) -> None:
        validate_args(self.scale, self.seed, None, self.inconsistency_rate)

    @property
    def effective_rates(self) -> InjectionRates:
        rates = self.rates
        if self.profile.unconvertible_currency and rates.unconvertible_currency <= 0:
            rates = replace(rates, unconvertible_currency=UNCONVERTIBLE_RATE)
        return rates.scaled(self.inconsistency_rate)

    @property
    def unconvertible_code(self) -> str:
        """The currency code the unconvertible-currency injection uses."""
        return self.profile.unconvertible_currency or "CHF"

    def n(self, base: float, minimum: int = 1) -> int:
        """A volume at this scale (never below ``minimum``)."""
        return max(minimum, round(base * self.scale))


def validate_args(scale: float, seed: int, batch: int | None, inconsistency_rate: float) -> None:
    """Raise ValueError naming the offending argument."""
    if (
        isinstance(scale, bool)
        or not isinstance(scale, numbers.Real)
        or not math.isfinite(float(scale))
    ):
        raise ValueError(f"scale must be a finite number, got {scale!r}")
    if not 0.005 <= scale <= 100:
        raise ValueError(f"scale must be between 0.005 and 100, got {scale!r}")
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
    if batch is not None and (
        isinstance(batch, bool)
        or not isinstance(batch, numbers.Integral)
        or not 1 <= batch <= BATCH_HORIZON_DAYS
    ):
        raise ValueError(
            f"batch must be None or an integer between 1 and {BATCH_HORIZON_DAYS}, got {batch!r}"
        )
    if (
        isinstance(inconsistency_rate, bool)
        or not isinstance(inconsistency_rate, numbers.Real)
        or not math.isfinite(float(inconsistency_rate))
        or not 0 <= inconsistency_rate <= 10
    ):
        raise ValueError(
            f"inconsistency_rate must be a number between 0 and 10, got {inconsistency_rate!r}"
        )
