"""Real-world spellings of the channel picklist values (the ``channel_spellings`` option).

With ``channel_spellings="vendor"`` every channel value the simulator writes is drawn,
deterministically per seed, from spellings real companies use for that channel, several per
channel mixed in one company: Salesforce ``lead_source`` (lead, contact, opportunity), the
``utm_source`` / ``utm_medium`` of web sessions and the referrer of untagged search sessions.
The plan keeps the canonical values (reference.py); only the text written changes, so the
truth reads the channel the plan generated each value from, never the spelling.

The Salesforce opportunity ``type`` is written the same way: Salesforce's default picklist
values (``New Customer``, ``Existing Customer - Upgrade`` ...) and other spellings real orgs
use, and a share of New Business and Expansion opportunities without a type at all. The truth
reads the type the plan gave each opportunity (``_type``), never the text.

Kept as they are: HubSpot ``property_hs_analytics_source`` (already HubSpot's own standard
values) and the deliberately unmapped values (reference.UNMAPPED_CANDIDATES). Every spelling
below maps to its channel in seeds/channel_mapping.csv (matched on picklist keys; a session's
channel is its utm_medium's, an exact source + medium row first: a social platform source
with a cpc / paid / cpm medium is paid_social) - tests/simulator/test_sim_spellings.py checks
that against the seed.
"""

from __future__ import annotations

import re
import zlib
from typing import TYPE_CHECKING

from simulator import reference as ref

if TYPE_CHECKING:  # numpy and pandas are imported where used: the command lines' --help
    import numpy as np  # reads CHOICES through simulator.profile without loading them
    import pandas as pd

CANONICAL = "canonical"
VENDOR = "vendor"
CHOICES = (CANONICAL, VENDOR)

#: Salesforce lead_source spellings per channel (the canonical values are among them).
LEAD_SOURCE: dict[str, tuple[str, ...]] = {
    "direct": ("Web", "Website", "Phone Inquiry"),
    "partner": ("Partner Referral", "Partner"),
    "referral": ("Employee Referral", "External Referral", "Word of mouth", "Referral"),
    "display": ("Advertisement", "Display"),
    "events": ("Seminar - Partner", "Seminar - Internal", "Trade Show", "Webinar"),
    "sales_outbound": ("Purchased List", "Cold Call", "Outbound"),
    "organic_search": ("organic search", "Organic Search", "ORGANIC_SEARCH"),
    "paid_search": ("Paid Search", "paid search", "Google AdWords"),
    "paid_social": ("Paid Social", "paid-social"),
    "email": ("Email", "email"),
    "social": ("Social Media",),
}
#: utm_source spellings of each canonical utm_source (per canonical channel of the session).
UTM_SOURCE: dict[tuple[str, str], tuple[str, ...]] = {
    ("paid_search", "google"): ("google", "adwords", "google_ads"),
    ("paid_search", "bing"): ("bing", "microsoft"),
    ("paid_social", "linkedin"): ("linkedin", "linkedin_ads"),
    ("paid_social", "facebook"): ("facebook", "fb", "facebook_ads", "meta", "instagram"),
    ("email", "hubspot"): ("hubspot", "mailchimp"),
    ("social", "twitter"): ("twitter", "x"),
}
#: utm_medium spellings per canonical channel (with the sources above).
UTM_MEDIUM: dict[str, tuple[str, ...]] = {
    "paid_search": ("cpc", "ppc", "paid", "search", "Paid Search"),
    # every paid_social source spelling is a social platform with exact source+medium rows
    "paid_social": (
        "paid_social",
        "paid-social",
        "Paid Social",
        "paidsocial",
        "cpc",
        "paid",
        "cpm",
    ),
    "display": ("display", "banner", "cpm"),
    "email": ("email", "e-mail", "newsletter"),
    "social": ("social", "social media"),
    "events": ("event", "webinar", "events"),
    "partner": ("partner", "affiliate"),
}
#: Direct sessions: a share is tagged the way Google Analytics writes direct traffic.
DIRECT_TAG = ("(direct)", "(none)")
DIRECT_TAGGED_SHARE = 1 / 3
#: Referrers of untagged organic search sessions, per canonical search engine.
SEARCH_REFERRERS: dict[str, tuple[str, ...]] = {
    "https://www.google.com/": (
        "https://www.google.com/",
        "https://www.google.co.uk/",
        "https://www.google.de/",
        "https://www.google.fr/",
        "https://www.google.ca/",
        "https://www.google.com.au/",
        "https://www.google.nl/",
    ),
    "https://www.bing.com/": (
        "https://www.bing.com/",
        "https://duckduckgo.com/",
        "https://search.yahoo.com/",
        "https://www.ecosia.org/",
    ),
}
#: Referrers of tagged Facebook-family sessions (the UTM tags decide their channel).
SOCIAL_APP_REFERRERS = (
    "https://l.facebook.com/l.php?u=https%3A%2F%2Fwww.revopsco.example%2F",
    "https://m.facebook.com/",
    "https://l.instagram.com/",
)


#: Salesforce opportunity type spellings per plan type (the canonical values are among them):
#: Salesforce's default picklist values and common custom ones, each mapped to its type by
#: seeds/opportunity_type_mapping.csv (tests/simulator/test_sim_spellings.py).
OPPORTUNITY_TYPE: dict[str, tuple[str, ...]] = {
    "New Business": ("New Customer", "New Business", "New Logo", "new business"),
    "Expansion": (
        "Existing Customer - Upgrade",
        "Upsell",
        "Cross-sell",
        "Add-On",
        "Expansion",
        "EXPANSION",
    ),
    "Renewal": ("Existing Customer - Replacement", "Renewal", "renewal"),
}
#: Share (per mille) of the New Business and Expansion opportunities written without a type.
#: Renewals keep theirs (the renewal process creates them typed): the warehouse infers a
#: missing type from the account's history, which tells New Business from Expansion only.
#: Orphan opportunities (their account id points nowhere) keep theirs too: without the
#: account there is no history to read.
MISSING_TYPE_PER_MILLE = 200


def check(value: object) -> str:
    if value not in CHOICES:
        raise ValueError(f"channel_spellings must be one of {', '.join(CHOICES)}, got {value!r}")
    return str(value)


def picklist_key(value: str) -> str:
    """lower-case, every run of other characters than a-z0-9 one '_', no leading/trailing '_'
    (macro picklist_key): the key picklist values are mapped on."""
    return re.sub(r"[^a-z0-9]+", "_", value.strip().lower()).strip("_")


#: Every lead_source / utm value written with "vendor" that is not canonical, -> its channel
#: (simulator/README.md, the *_vendor picklist tables).
VENDOR_LEAD_SOURCE_CHANNEL = {
    v: c for c, vs in LEAD_SOURCE.items() for v in vs if v not in ref.LEAD_SOURCE_CHANNEL
}
VENDOR_UTM_SOURCE_CHANNEL = {
    v: c for (c, _), vs in UTM_SOURCE.items() for v in vs if v not in ref.UTM_SOURCE_CHANNEL
} | {DIRECT_TAG[0]: "direct"}
VENDOR_UTM_MEDIUM_CHANNEL = {
    v: c
    for c, vs in UTM_MEDIUM.items()
    for v in vs
    if v not in ref.UTM_MEDIUM_CHANNEL and not (c == "paid_social" and v in ("cpc", "paid", "cpm"))
} | {DIRECT_TAG[1]: "direct"}
#: Every opportunity type written with "vendor" that is not canonical, -> its plan type
#: (simulator/README.md, the opportunity_type_vendor table).
VENDOR_OPPORTUNITY_TYPE = {
    v: kind for kind, vs in OPPORTUNITY_TYPE.items() for v in vs if v not in OPPORTUNITY_TYPE
}
#: The mapped values of the channel picklists with the vendor spellings (mapping_coverage).
MAPPED_VALUES: dict[str, frozenset[str]] = {
    **ref.MAPPED_VALUES,
    "lead_source": frozenset(ref.LEAD_SOURCE_CHANNEL) | frozenset(VENDOR_LEAD_SOURCE_CHANNEL),
    "utm_source": frozenset(ref.UTM_SOURCE_CHANNEL) | frozenset(VENDOR_UTM_SOURCE_CHANNEL),
    "utm_medium": frozenset(ref.UTM_MEDIUM_CHANNEL) | frozenset(VENDOR_UTM_MEDIUM_CHANNEL),
}


def lead_source_channel(value: str) -> str:
    """The channel of a canonical (plan) lead_source value; 'unmapped' for the injected ones."""
    return ref.LEAD_SOURCE_CHANNEL.get(value, "unmapped")


def analytics_source_channel(value: str) -> str:
    """The channel of a HubSpot analytics source; 'unmapped' for the injected one."""
    return ref.ANALYTICS_SOURCE_CHANNEL.get(value, "unmapped")


def _pick(options: tuple[str, ...], seed: int, *key: object) -> str:
    """One of ``options``, a deterministic function of (seed, key) (no random stream used)."""
    text = "|".join(str(k) for k in (seed, *key))
    return options[zlib.crc32(text.encode()) % len(options)]


def _spell_lead_source(seed: int, value: str, *key: object) -> str:
    channel = ref.LEAD_SOURCE_CHANNEL.get(value)
    if channel is None:  # a deliberately unmapped value stays as it is
        return value
    return _pick(LEAD_SOURCE[channel], seed, "lead_source", value, *key)


def spell_crm(
    mode: str,
    seed: int,
    leads: pd.DataFrame,
    contacts: pd.DataFrame,
    opps: pd.DataFrame,
) -> None:
    """Set ``lead_source_text`` (the text written) next to each plan's canonical lead_source,
    and an opportunity's ``type_text`` next to its plan ``type``.

    A person's lead and contact share one spelling (as a lead conversion copies it); a New
    Business opportunity takes its primary contact's, renewals and expansions the spelling of
    the account's first New Business opportunity with the same source. Opportunity types:
    spell_opportunity_types.
    """
    import numpy as np

    for frame in (leads, contacts, opps):
        frame["lead_source_text"] = frame["lead_source"].to_numpy().astype(object)
    opps["type_text"] = opps["type"].to_numpy().astype(object)
    if mode != VENDOR:
        return
    for frame in (leads, contacts):
        frame["lead_source_text"] = [
            _spell_lead_source(seed, v, "person", int(p))
            for v, p in zip(frame["lead_source"], frame["pid"], strict=True)
        ]
    pid_of_contact = contacts["pid"].to_numpy()
    first_nb: dict[tuple[int, str], str] = {}
    texts = []
    for kind, value, account, contact in zip(
        opps["type"], opps["lead_source"], opps["account"], opps["primary_contact"], strict=True
    ):
        if kind == "New Business":
            text = _spell_lead_source(seed, value, "person", int(pid_of_contact[int(contact)]))
            first_nb.setdefault((int(account), value), text)
        else:
            text = first_nb.get((int(account), value)) or _spell_lead_source(
                seed, value, "account", int(account)
            )
        texts.append(text)
    opps["lead_source_text"] = np.array(texts, dtype=object)
    opps["type_text"] = spell_opportunity_types(
        seed, opps["type"], opps["opp_id"], opps["account_override"]
    )


def spell_opportunity_types(
    seed: int, kinds: pd.Series, opp_ids: pd.Series, account_overrides: pd.Series
) -> np.ndarray:
    """The type text written per opportunity (vendor): one of the spellings of its plan type,
    or empty for MISSING_TYPE_PER_MILLE of the New Business and Expansion opportunities on a
    real account; a deterministic function of (seed, opportunity id)."""
    import numpy as np

    out = []
    for kind, opp, orphan in zip(kinds, opp_ids, account_overrides, strict=True):
        draw = zlib.crc32(f"{seed}|opportunity_type_missing|{opp}".encode()) % 1000
        if kind != "Renewal" and not orphan and draw < MISSING_TYPE_PER_MILLE:
            out.append("")
        else:
            out.append(_pick(OPPORTUNITY_TYPE[kind], seed, "opportunity_type", opp))
    return np.array(out, dtype=object)


def spell_sessions(
    rng: np.random.Generator,
    channel: np.ndarray,
    overridden: np.ndarray,
    src: np.ndarray,
    med: np.ndarray,
    ref_url: np.ndarray,
) -> None:
    """Respell one month of sessions in place (vendor): UTM tags per canonical channel, the
    referrers of untagged search sessions; rows with an injected unmapped value stay."""
    import numpy as np

    n = len(channel)
    draws = rng.random((n, 3))
    names = np.array([c.name for c in ref.INBOUND_CHANNELS], dtype=object)[channel]
    ok = ~overridden
    for (name, canon), options in UTM_SOURCE.items():
        rows = np.flatnonzero(ok & (names == name) & (src == canon))
        src[rows] = np.array(options, dtype=object)[(draws[rows, 0] * len(options)).astype(int)]
    for name, options in UTM_MEDIUM.items():
        rows = np.flatnonzero(ok & (names == name) & (med != ""))
        med[rows] = np.array(options, dtype=object)[(draws[rows, 1] * len(options)).astype(int)]
    facebook = np.flatnonzero(
        ok & (names == "paid_social") & np.isin(src, ("facebook", "fb", "meta", "instagram"))
    )
    ref_url[facebook] = np.array(SOCIAL_APP_REFERRERS, dtype=object)[
        (draws[facebook, 2] * len(SOCIAL_APP_REFERRERS)).astype(int)
    ]
    direct = np.flatnonzero(
        ok & (names == "direct") & (src == "") & (draws[:, 2] < DIRECT_TAGGED_SHARE)
    )
    src[direct], med[direct] = DIRECT_TAG
    for canon, options in SEARCH_REFERRERS.items():
        rows = np.flatnonzero(ok & (names == "organic_search") & (ref_url == canon) & (src == ""))
        ref_url[rows] = np.array(options, dtype=object)[(draws[rows, 2] * len(options)).astype(int)]
