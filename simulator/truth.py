"""ground_truth.json: the numbers the warehouse must reproduce, from the simulator's state."""

from __future__ import annotations

from collections.abc import Hashable

import numpy as np
import pandas as pd

from simulator import reference as ref
from simulator.clock import iso
from simulator.config import AS_OF, DAY, NEVER, PERIOD_END, PERIOD_START, SimConfig
from simulator.fx import Money
from simulator.identity import UNKNOWN, People
from simulator.profile import MISSING_FIELDS
from simulator.rules import ChunkStats, linked_pairs, live, nonnull, norm, picklist_values
from simulator.world import MONITORED_TABLES, World

#: The channels of by_channel: the canonical ones, then values no seed maps and no channel.
CHANNEL_KEYS = (*ref.CHANNELS, "unmapped", UNKNOWN)


def _pids(frame: pd.DataFrame, flag: str = "is_deleted", email: str = "email") -> set[int]:
    """People of the live rows that have an email (a null email identifies nobody)."""
    rows = live(frame, flag)
    return set(rows[rows[email].to_numpy() != ""]["_pid"].tolist())


def facts(
    w: World, t: dict[str, pd.DataFrame], stats: ChunkStats, money: Money
) -> dict[str, object]:
    """Entity and revenue counts per the truth definitions of simulator/README.md."""
    leads = t["salesforce/lead"]
    contacts = t["salesforce/contact"]
    hs = t["hubspot/contact"]
    people = _pids(leads) | _pids(contacts) | _pids(hs, "_fivetran_deleted", "property_email")
    live_hs = live(hs, "_fivetran_deleted")
    mql_col = "property_hs_lifecyclestage_marketingqualifiedlead_date"
    mqls = _pids(
        live_hs[live_hs[mql_col].to_numpy() < NEVER], "_fivetran_deleted", "property_email"
    )
    accounts = live(t["salesforce/account"])
    companies = live(t["hubspot/company"])
    # every real company with a live CRM account or marketing company (a seller without a
    # website is a company too: the warehouse keeps each CRM account id)
    all_accounts = set(accounts["_company"].tolist()) | set(companies["_company"].tolist())
    opps = live(t["salesforce/opportunity"])
    won = opps[opps["is_won"].to_numpy(dtype=bool)]
    lost = opps[opps["is_closed"].to_numpy(dtype=bool) & ~opps["is_won"].to_numpy(dtype=bool)]
    account_ids = set(accounts["id"])
    # the type the plan gave each opportunity (_type), whatever was written (channel_spellings)
    customers = {a for a in won[won["_type"] == "New Business"]["account_id"] if a in account_ids}
    # SQL: people on a contact role of a live New Business opportunity
    roles = live(t["salesforce/opportunity_contact_role"])
    nb = set(opps[opps["_type"] == "New Business"]["id"])
    with_email = live(contacts)[live(contacts)["email"].to_numpy() != ""]
    contact_pid = dict(zip(with_email["id"], with_email["_pid"], strict=True))
    sqls = {
        contact_pid[c]
        for o, c in zip(roles["opportunity_id"], roles["contact_id"], strict=True)
        if o in nb and c in contact_pid
    }
    revenue = 0.0
    by_type: dict[str, float] = {}
    unconvertible = extrapolated = 0
    for cur, day, amount, kind in zip(
        won["currency_iso_code"], won["close_date"], won["amount"], won["_type"], strict=True
    ):
        usd, guessed = money.to_usd(float(amount), cur, int(day))
        if usd is None:
            unconvertible += 1
            continue
        extrapolated += int(guessed)
        revenue += usd
        by_type[kind] = by_type.get(kind, 0.0) + usd
    churned = {a for a in lost[lost["_type"] == "Renewal"]["account_id"] if a in customers}
    spend = {k: round(v, 2) for k, v in sorted(stats.spend_by_platform.items())}
    pairs = linked_pairs(t)
    non_usd_pairs = int((pairs["currency_iso_code"] != "USD").sum())
    return {
        "people": len(people),
        "accounts": len(all_accounts),
        "crm_accounts": len(accounts),
        "hubspot_companies": len(companies),
        "customers": len(customers),
        "churned_customers": len(churned),
        "mqls": len(mqls),
        "sqls": len(sqls),
        "leads": len(live(leads)),
        "hubspot_contacts": len(live_hs),
        "opportunities": len(opps),
        "opportunities_won": len(won),
        "opportunities_lost": len(lost),
        "opportunities_open": int(len(opps) - len(won) - len(lost)),
        "won_revenue_usd": round(revenue, 2),
        "won_revenue_usd_by_type": {k: round(v, 2) for k, v in sorted(by_type.items())},
        "won_opportunities_not_convertible": unconvertible,
        "won_opportunities_rate_extrapolated": extrapolated,
        "linked_deal_pairs": len(pairs),
        "linked_deal_pairs_non_usd": non_usd_pairs,
        "ad_spend_usd": round(sum(stats.spend_by_platform.values()), 2),
        "ad_spend_usd_by_platform": spend,
        "picklist_values": {k: sorted(v) for k, v in picklist_values(t, stats).items()},
    }


def opportunity_people(
    t: dict[str, pd.DataFrame], people: People
) -> dict[str, dict[Hashable, tuple[bool, bool]]]:
    """Per opportunity id, its people (int_opportunity_people): the people of its contact
    roles and of the leads converted into it -> (is_primary, via a contact role)."""
    out: dict[str, dict[Hashable, tuple[bool, bool]]] = {}
    roles = live(t["salesforce/opportunity_contact_role"])
    for opp, contact, primary in zip(
        roles["opportunity_id"], roles["contact_id"], roles["is_primary"], strict=True
    ):
        person = people.person("salesforce_contact", contact)
        if person is not None:
            was = out.setdefault(opp, {}).get(person, (False, True))
            out[opp][person] = (was[0] or bool(primary), True)
    leads = live(t["salesforce/lead"])
    leads = leads[leads["is_converted"].to_numpy(dtype=bool)]
    for lead, opp in zip(leads["id"], leads["converted_opportunity_id"], strict=True):
        person = people.person("salesforce_lead", lead)
        if opp and person is not None:
            out.setdefault(opp, {}).setdefault(person, (False, False))
    return out


def by_channel(
    t: dict[str, pd.DataFrame], money: Money, people: People
) -> tuple[dict[str, dict[str, float]], dict[str, str]]:
    """MQLs, wins and won revenue per channel on the channel basis of the marts
    (docs/channels.md; simulator/README.md, *Channels and attribution*), and the won
    opportunities left out (id -> reason)."""
    out = {c: {"mqls": 0, "won_opportunities": 0, "won_revenue_usd": 0.0} for c in CHANNEL_KEYS}
    hs = live(t["hubspot/contact"], "_fivetran_deleted")
    mql = hs[hs["property_hs_lifecyclestage_marketingqualifiedlead_date"].to_numpy() < NEVER]
    for email in nonnull(norm(mql["property_email"])):
        out[people.channel(people.by_email(email))]["mqls"] += 1
    opps = live(t["salesforce/opportunity"])
    won = opps[opps["is_won"].to_numpy(dtype=bool)]
    of_opp = opportunity_people(t, people)
    excluded: dict[str, str] = {}
    own = np.where(won["lead_source"].to_numpy() != "", won["_channel"].to_numpy(), UNKNOWN)
    for oid, channel, cur, day, amount in zip(
        won["id"],
        own,
        won["currency_iso_code"],
        won["close_date"],
        won["amount"],
        strict=True,
    ):
        ranked: dict[tuple[int, int], set[str]] = {}
        for person, (primary, via_role) in of_opp.get(oid, {}).items():
            original = people.channel(person)
            if original != UNKNOWN:
                ranked.setdefault((int(not primary), int(not via_role)), set()).add(original)
        if ranked:
            top = ranked[min(ranked)]
            if len(top) > 1:  # the warehouse then picks the lowest person_id (a hash)
                excluded[oid] = (
                    "its first-ranked people have different original channels ("
                    + ", ".join(sorted(top))
                    + "); the warehouse picks the one with the lowest person_id, a hash"
                )
                continue
            channel = next(iter(top))
        out[channel]["won_opportunities"] += 1
        usd, _ = money.to_usd(float(amount), cur, int(day))
        if usd is not None:
            out[channel]["won_revenue_usd"] += usd
    for row in out.values():
        row["won_revenue_usd"] = round(row["won_revenue_usd"], 2)
    return out, excluded


def shared_domain(w: World, t: dict[str, pd.DataFrame]) -> dict[str, object]:
    """The marketplace sellers as exported (simulator/README.md, Profiles,
    shared_domain_accounts)."""
    ids = set(w.marketplace.get("account_ids", []))
    accounts = live(t["salesforce/account"])
    sellers = set(accounts["id"]) & ids
    opps = live(t["salesforce/opportunity"])
    won = opps[opps["is_won"].to_numpy(dtype=bool) & (opps["_type"] == "New Business").to_numpy()]
    return {
        "domain": w.marketplace.get("domain") if ids else None,
        "accounts": len(sellers),
        "customers": len(set(won["account_id"]) & sellers),
    }


def missing_fields_count(t: dict[str, pd.DataFrame]) -> dict[str, int]:
    """Live rows written without a business field (simulator/README.md, Profiles,
    missing_fields)."""
    out = {}
    for key in MISSING_FIELDS:
        table, column = key.split(".")
        flag = "_fivetran_deleted" if table == "hubspot/contact" else "is_deleted"
        values = live(t[table], flag)[column].to_numpy()
        empty = values >= NEVER if values.dtype.kind in "iu" else values == ""
        out[key] = int(np.asarray(empty, dtype=bool).sum())
    return out


def future_dated(t: dict[str, pd.DataFrame], as_of: int) -> dict[str, int]:
    """Live rows whose dates reach past as_of (simulator/README.md, Profiles, future_dates)."""
    opps = live(t["salesforce/opportunity"])
    open_ = opps[~opps["is_closed"].to_numpy(dtype=bool)]
    hs = live(t["hubspot/contact"], "_fivetran_deleted")
    created = hs["property_createdate"].to_numpy()
    return {
        "salesforce/opportunity.close_date": int(
            (open_["close_date"].to_numpy() > as_of // DAY + 365).sum()
        ),
        "hubspot/contact.property_createdate": int(((created < NEVER) & (created > as_of)).sum()),
    }


def header(cfg: SimConfig, batch: int | None, T: int) -> dict[str, object]:
    """Run parameters, period and as_of (in the calendar of start_year)."""
    shift = cfg.profile.offset
    return {
        "scale": cfg.scale,
        "seed": cfg.seed,
        "inconsistency_rate": cfg.inconsistency_rate,
        "batch": batch,
        "period": {
            "start": str(np.datetime64(PERIOD_START + shift, "s").astype("datetime64[D]")),
            "end": str(np.datetime64(PERIOD_END + shift, "s").astype("datetime64[D]")),
        },
        "as_of": str(iso(np.array([T + shift]))[0]),
        "base_as_of": str(iso(np.array([AS_OF + shift]))[0]),
        "freshness_allowed_age_hours": {k: v // 3600 for k, v in MONITORED_TABLES.items()},
    }
