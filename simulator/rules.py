"""The twelve consistency rules, counted on the simulator's own tables (docs/quality_rules.md).

Each function follows the docs/quality_rules.md definition literally on the typed frames the writer
formats, so the warehouse's SQL and the independent test re-derivation can match the count
row for row.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from simulator import reference as ref
from simulator.config import DAY, NEVER
from simulator.fx import Money
from simulator.schema import PRIMARY_KEYS
from simulator.spellings import MAPPED_VALUES, OPPORTUNITY_TYPE, picklist_key
from simulator.world import MONITORED_TABLES

RULE_NAMES = (
    "person_match",
    "duplicate_people",
    "lifecycle_agreement",
    "deal_opportunity_agreement",
    "timeline_monotonic",
    "orphans",
    "conservation",
    "reconciliation",
    "freshness",
    "ownership",
    "mapping_coverage",
    "pipeline_hygiene",
)
EARLY_STAGES = ("subscriber", "lead", "marketingqualifiedlead")
HS_DATES = (
    "property_createdate",
    "property_hs_lifecyclestage_lead_date",
    "property_hs_lifecyclestage_marketingqualifiedlead_date",
    "property_hs_lifecyclestage_salesqualifiedlead_date",
    "property_hs_lifecyclestage_opportunity_date",
    "property_hs_lifecyclestage_customer_date",
)
MQL_DATE = "property_hs_lifecyclestage_marketingqualifiedlead_date"


@dataclass
class ChunkStats:
    """What the rules need from the high-volume tables (accumulated while writing)."""

    rows: dict[str, int] = field(default_factory=dict)
    max_synced: dict[str, int] = field(default_factory=dict)
    orphan_events: int = 0
    sessions_without_id: int = 0
    utm_source: set[str] = field(default_factory=set)
    utm_medium: set[str] = field(default_factory=set)
    spend_by_platform: dict[str, float] = field(default_factory=dict)
    #: Attribution touches (visible at as_of): web sessions with a key of known people
    #: (plan person, session email, start) and email CLICK events (recipient, time).
    session_touches: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = field(default_factory=list)
    click_touches: list[tuple[np.ndarray, np.ndarray]] = field(default_factory=list)


def norm(values: pd.Series | np.ndarray) -> np.ndarray:
    """lower(trim(x)) of every value."""
    series = pd.Series(np.asarray(values, dtype=object), dtype=object)
    return series.str.strip().str.lower().to_numpy(dtype=object)


def nonnull(values: np.ndarray) -> set:
    """The distinct non-null values ('' is null): what an SQL equality can match."""
    return {v for v in values if v != ""}


def live(frame: pd.DataFrame, flag: str = "is_deleted") -> pd.DataFrame:
    return frame[~frame[flag].to_numpy(dtype=bool)]


def _in(values: np.ndarray, pool: set) -> np.ndarray:
    return np.array([v in pool for v in values], dtype=bool)


def hs_emails(tables: dict[str, pd.DataFrame]) -> set[str]:
    return nonnull(norm(live(tables["hubspot/contact"], "_fivetran_deleted")["property_email"]))


def person_match(t: dict[str, pd.DataFrame]) -> dict[str, int]:
    hs = hs_emails(t)
    leads = live(t["salesforce/lead"])
    contacts = live(t["salesforce/contact"])
    mkt = set(ref.MARKETING_LEAD_SOURCES)
    a = leads[leads["lead_source"].isin(mkt)]
    b = contacts[contacts["lead_source"].isin(mkt)]
    crm = nonnull(norm(leads["email"])) | nonnull(norm(contacts["email"]))
    h = live(t["hubspot/contact"], "_fivetran_deleted")
    c = h[h[MQL_DATE].to_numpy() < NEVER]
    return {
        "lead_without_marketing_contact": int((~_in(norm(a["email"]), hs)).sum()),
        "contact_without_marketing_contact": int((~_in(norm(b["email"]), hs)).sum()),
        "mql_without_crm_record": int((~_in(norm(c["property_email"]), crm)).sum()),
    }


def duplicate_people(t: dict[str, pd.DataFrame]) -> dict[str, int]:
    def extra(values: pd.Series) -> int:
        # count(*) - count(distinct norm(email)): a row without email counts in full
        e = norm(values)
        return int(len(e) - len(nonnull(e)))

    leads = live(t["salesforce/lead"])
    return {
        "hubspot_contact": extra(live(t["hubspot/contact"], "_fivetran_deleted")["property_email"]),
        "salesforce_contact": extra(live(t["salesforce/contact"])["email"]),
        "salesforce_lead": extra(leads[~leads["is_converted"].to_numpy(dtype=bool)]["email"]),
    }


def _won_accounts(t: dict[str, pd.DataFrame]) -> set[str]:
    accounts = set(live(t["salesforce/account"])["id"])
    opps = live(t["salesforce/opportunity"])
    won = opps[opps["is_won"].to_numpy(dtype=bool)]
    return {a for a in won["account_id"] if a in accounts}


def lifecycle_agreement(t: dict[str, pd.DataFrame]) -> dict[str, int]:
    won_accounts = _won_accounts(t)
    contacts = live(t["salesforce/contact"])
    emails = norm(contacts["email"])
    s_set = nonnull(emails)
    w_set = {
        e for e, a in zip(emails, contacts["account_id"], strict=True) if a in won_accounts and e
    }
    h = live(t["hubspot/contact"], "_fivetran_deleted")
    e = norm(h["property_email"])
    w = _in(e, w_set)
    s = _in(e, s_set)
    stage = h["property_lifecyclestage"].to_numpy()
    customer = stage == "customer"
    early = np.isin(stage, EARLY_STAGES)
    not_customer = w & ~customer
    false_customer = ~w & customer
    behind = s & ~w & early
    return {
        "won_account_not_customer": int(not_customer.sum()),
        "customer_without_won_account": int(false_customer.sum()),
        "crm_contact_still_marketing_stage": int((behind & ~not_customer & ~false_customer).sum()),
    }


def linked_pairs(t: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Non-deleted deals joined to the non-deleted opportunity they name."""
    deals = live(t["hubspot/deal"])
    opps = live(t["salesforce/opportunity"])
    return deals.merge(
        opps,
        left_on="property_salesforceopportunityid",
        right_on="id",
        how="inner",
        suffixes=("_deal", ""),
    )


def deal_opportunity_agreement(t: dict[str, pd.DataFrame], money: Money) -> dict[str, int]:
    pairs = linked_pairs(t)
    stages = t["hubspot/deal_pipeline_stage"].set_index("stage_id")
    amount_bad, stage_bad, date_bad = [], [], []
    for row in pairs.itertuples(index=False):
        usd, _ = money.to_usd(row.amount, row.currency_iso_code, int(row.close_date))
        amount_bad.append(usd is not None and abs(row.property_amount - usd) > 0.01)
        opp_class = "won" if row.is_won else ("lost" if row.is_closed else "open")
        deal_class = "open"
        if row.deal_pipeline_stage_id in stages.index:
            st = stages.loc[row.deal_pipeline_stage_id]
            if bool(st["is_closed"]):
                deal_class = (
                    "won"
                    if st["probability"] == 1.0
                    else ("lost" if st["probability"] == 0.0 else "open")
                )
        stage_bad.append(opp_class != deal_class)
        date_bad.append(abs(row.property_closedate // DAY - row.close_date) > 1)
    a, s, d = (np.array(x, dtype=bool) for x in (amount_bad, stage_bad, date_bad))
    return {
        "amount": int(a.sum()),
        "stage": int(s.sum()),
        "close_date": int(d.sum()),
        "_rows": int((a | s | d).sum()),
    }


def timeline_monotonic(t: dict[str, pd.DataFrame], as_of: int) -> dict[str, int]:
    h = live(t["hubspot/contact"], "_fivetran_deleted")
    vals = np.stack([h[c].to_numpy() for c in HS_DATES], axis=1) if len(h) else np.zeros((0, 6))
    bad_hs = np.zeros(len(h), dtype=bool)
    for i in range(vals.shape[1]):
        for j in range(i + 1, vals.shape[1]):
            both = (vals[:, i] < NEVER) & (vals[:, j] < NEVER)
            bad_hs |= both & (vals[:, i] > vals[:, j])
    bad_hs |= ((vals < NEVER) & (vals > as_of)).any(axis=1)
    leads = live(t["salesforce/lead"])
    conv = leads["converted_date"].to_numpy()
    created = leads["created_date"].to_numpy()
    bad_lead = ((conv < NEVER) & (conv < created // DAY)) | (created > as_of)
    opps = live(t["salesforce/opportunity"])
    close = opps["close_date"].to_numpy()
    ocreated = opps["created_date"].to_numpy()
    known = ocreated < NEVER  # a null created_date compares to nothing
    closed = opps["is_closed"].to_numpy(dtype=bool)
    bad_opp = (
        (known & (close < ocreated // DAY))
        | (known & (ocreated > as_of))
        | (closed & (close > as_of // DAY))
    )
    return {
        "hubspot_contact": int(bad_hs.sum()),
        "salesforce_lead": int(bad_lead.sum()),
        "salesforce_opportunity": int(bad_opp.sum()),
    }


def orphans(t: dict[str, pd.DataFrame], stats: ChunkStats) -> dict[str, int]:
    accounts = set(live(t["salesforce/account"])["id"])
    opps = live(t["salesforce/opportunity"])
    contacts = live(t["salesforce/contact"])
    hs_ids = set(live(t["hubspot/contact"], "_fivetran_deleted")["id"].tolist())
    subs = t["hubspot/contact_form_submission"]
    return {
        "opportunity_without_account": int((~_in(opps["account_id"].to_numpy(), accounts)).sum()),
        "contact_without_account": int((~_in(contacts["account_id"].to_numpy(), accounts)).sum()),
        "email_event_unknown_recipient": stats.orphan_events,
        "form_submission_unknown_contact": int((~_in(subs["contact_id"].to_numpy(), hs_ids)).sum()),
    }


def conservation(t: dict[str, pd.DataFrame], stats: ChunkStats) -> dict[str, int]:
    out = {}
    for table, frame in t.items():
        keys = PRIMARY_KEYS[table]
        if not keys or not len(frame):
            continue
        empty = np.zeros(len(frame), dtype=bool)
        for k in keys:
            v = frame[k].to_numpy()
            empty |= np.array([x == "" or x is None for x in v], dtype=bool)
        if empty.any():
            out[table] = int(empty.sum())
    out["web/sessions"] = stats.sessions_without_id
    return out


def reconciliation(t: dict[str, pd.DataFrame], money: Money) -> dict[str, int]:
    opps = live(t["salesforce/opportunity"])
    won = opps[opps["is_won"].to_numpy(dtype=bool)]
    bad = sum(
        1
        for cur, day, amount in zip(
            won["currency_iso_code"], won["close_date"], won["amount"], strict=True
        )
        if amount != amount or money.to_usd(amount, cur, int(day))[0] is None
    )
    return {"won_amount_not_convertible": int(bad)}


def freshness(t: dict[str, pd.DataFrame], stats: ChunkStats, as_of: int) -> dict[str, int]:
    out = {}
    for table, age in MONITORED_TABLES.items():
        if table in t:
            frame = t[table]
            latest = int(frame["_fivetran_synced"].max()) if len(frame) else 0
        else:
            latest = stats.max_synced.get(table, 0)
        out[table] = int(latest < as_of - age)
    return out


def ownership(t: dict[str, pd.DataFrame]) -> dict[str, int]:
    users = t["salesforce/user"]
    active = set(users[users["is_active"].to_numpy(dtype=bool)]["id"])
    out = {}
    for table in (
        "salesforce/lead",
        "salesforce/contact",
        "salesforce/account",
        "salesforce/opportunity",
    ):
        frame = live(t[table])
        out[table.split("/")[1]] = int((~_in(frame["owner_id"].to_numpy(), active)).sum())
    pairs = linked_pairs(t)
    user_email = dict(zip(users["id"], norm(users["email"]), strict=True))
    owners = t["hubspot/owner"]
    owner_email = dict(zip(owners["owner_id"].tolist(), norm(owners["email"]), strict=True))
    bad = 0
    for deal_owner, opp_owner in zip(pairs["owner_id_deal"], pairs["owner_id"], strict=True):
        d = owner_email.get(int(deal_owner)) if deal_owner >= 0 else None
        o = user_email.get(opp_owner)
        bad += int(d is None or o is None or d != o)
    out["deal_owner_differs"] = bad
    return out


def picklist_values(t: dict[str, pd.DataFrame], stats: ChunkStats) -> dict[str, set[str]]:
    leads = live(t["salesforce/lead"])
    contacts = live(t["salesforce/contact"])
    opps = live(t["salesforce/opportunity"])
    h = live(t["hubspot/contact"], "_fivetran_deleted")
    values = {
        "lead_status": set(leads["status"]),
        "lead_source": set(leads["lead_source"])
        | set(contacts["lead_source"])
        | set(opps["lead_source"]),
        "opportunity_stage": set(opps["stage_name"]),
        "lifecycle_stage": set(h["property_lifecyclestage"]),
        "analytics_source": set(h["property_hs_analytics_source"]),
        "utm_source": set(stats.utm_source),
        "utm_medium": set(stats.utm_medium),
    }
    return {k: {x for x in v if x} for k, v in values.items()}


def mapping_coverage(t: dict[str, pd.DataFrame], stats: ChunkStats) -> dict[str, int]:
    """Distinct values whose picklist key is no mapped value's key (vendor spellings included:
    a spelling variant of a mapped value is mapped); a value with an empty key maps nothing."""
    values = picklist_values(t, stats)
    out = {}
    for k, vals in values.items():
        mapped = {picklist_key(m) for m in MAPPED_VALUES[k]}
        out[k] = sum(1 for v in vals if picklist_key(v) and picklist_key(v) not in mapped)
    # the opportunity type: every value the simulator writes is mapped (OPPORTUNITY_TYPE), so
    # its part is 0 and only a value that is not would add it (the default truth keeps its
    # bytes)
    types = {picklist_key(v) for vs in OPPORTUNITY_TYPE.values() for v in vs}
    written = {v for v in live(t["salesforce/opportunity"])["type"] if v}
    unmapped = sum(1 for v in written if picklist_key(v) and picklist_key(v) not in types)
    if unmapped:
        out["opportunity_type"] = unmapped
    return out


def pipeline_hygiene(t: dict[str, pd.DataFrame], as_of: int) -> dict[str, int]:
    opps = live(t["salesforce/opportunity"])
    open_ = opps[~opps["is_closed"].to_numpy(dtype=bool)]
    hist = t["salesforce/opportunity_field_history"]
    hist = hist[hist["field"] == "StageName"]
    tasks = live(t["salesforce/task"])
    # last_activity: the latest non-null date (null when there is none: never "quiet")
    last = {
        o: (None if c >= NEVER else c)
        for o, c in zip(open_["id"], open_["created_date"], strict=True)
    }
    for oid, when in (
        *zip(hist["opportunity_id"], hist["created_date"], strict=True),
        *zip(tasks["what_id"], tasks["created_date"], strict=True),
    ):
        if oid in last and (last[oid] is None or when > last[oid]):
            last[oid] = when
    past = open_["close_date"].to_numpy() < as_of // DAY
    quiet = np.array(
        [last[o] is not None and last[o] < as_of - 30 * DAY for o in open_["id"]], dtype=bool
    )
    return {
        "close_date_past": int(past.sum()),
        "no_activity_30_days": int(quiet.sum()),
        "_rows": int((past | quiet).sum()),
    }


def count_all(
    t: dict[str, pd.DataFrame], stats: ChunkStats, money: Money, as_of: int
) -> tuple[dict[str, int], dict[str, dict[str, int]]]:
    """Rule name -> offending rows, and the per-part detail."""
    detail = {
        "person_match": person_match(t),
        "duplicate_people": duplicate_people(t),
        "lifecycle_agreement": lifecycle_agreement(t),
        "deal_opportunity_agreement": deal_opportunity_agreement(t, money),
        "timeline_monotonic": timeline_monotonic(t, as_of),
        "orphans": orphans(t, stats),
        "conservation": conservation(t, stats),
        "reconciliation": reconciliation(t, money),
        "freshness": freshness(t, stats, as_of),
        "ownership": ownership(t),
        "mapping_coverage": mapping_coverage(t, stats),
        "pipeline_hygiene": pipeline_hygiene(t, as_of),
    }
    totals = {}
    for name in RULE_NAMES:
        parts = detail[name]
        totals[name] = parts.pop("_rows") if "_rows" in parts else int(sum(parts.values()))
    return totals, detail
