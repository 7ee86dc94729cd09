"""The whole simulated world as a plan of timed changes, with the injected disagreements.

The plan covers the period, the legacy customers before it and BATCH_HORIZON_DAYS after as_of;
snapshot.py cuts the tables as they look at any moment from it (the base load at as_of, the
cumulative state after batch K at as_of + K days).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from simulator import causal, crm, marketing
from simulator import reference as ref
from simulator.ads_web import SessionPlan, build_ads, build_sessions
from simulator.clock import business_time, sync
from simulator.config import (
    AS_OF,
    DAY,
    HORIZON_END,
    HOUR,
    LEGACY_START,
    NEVER,
    PERIOD_START,
    InjectionRates,
    SimConfig,
)
from simulator.fx import Money, Rates, plan_salesforce_rates
from simulator.ids import sf_id, sf_ids
from simulator.inconsistencies import Injected, count, pick, rng_for
from simulator.people import build_companies, build_people, build_users
from simulator.rng import stream
from simulator.spellings import spell_crm

#: Tables whose freshness is monitored, with their allowed age in seconds.
MONITORED_TABLES: dict[str, int] = {
    "salesforce/account": 2 * DAY,
    "salesforce/contact": 2 * DAY,
    "salesforce/lead": 2 * DAY,
    "salesforce/opportunity": 2 * DAY,
    "salesforce/task": 2 * DAY,
    "salesforce/user": 2 * DAY,
    "hubspot/contact": 2 * DAY,
    "hubspot/company": 2 * DAY,
    "hubspot/deal": 2 * DAY,
    "hubspot/email_event": 2 * DAY,
    "hubspot/owner": 2 * DAY,
    "ads/ad_stats": 3 * DAY,
    "web/sessions": 2 * DAY,
}
#: Connectors that can be injected as stopped (freshness), in this order.
STALE_CANDIDATES = ("ads/ad_stats", "web/sessions", "hubspot/email_event")
#: Reference rows were synced long before the period.
REFERENCE_SYNC = int(sync(LEGACY_START - 30 * DAY))
#: The simulated history starts here (the Salesforce dated rates start in its month).
HISTORY_START = LEGACY_START - 365 * DAY


@dataclass
class World:
    cfg: SimConfig
    rates: Rates
    users: pd.DataFrame
    companies: pd.DataFrame
    people: pd.DataFrame
    inbound: pd.DataFrame
    leads: pd.DataFrame
    accounts: pd.DataFrame
    contacts: pd.DataFrame
    opps: pd.DataFrame
    stages: pd.DataFrame
    roles: pd.DataFrame
    items: pd.DataFrame
    tasks: pd.DataFrame
    hs: pd.DataFrame
    hs_companies: pd.DataFrame
    deals: pd.DataFrame
    deal_stages: pd.DataFrame
    forms: pd.DataFrame
    form_guids: np.ndarray
    campaigns: pd.DataFrame
    unsub: np.ndarray
    unknown_sends: pd.DataFrame
    ads: pd.DataFrame
    sessions: SessionPlan
    stale_stop: dict[str, int]
    touches: dict[str, tuple[np.ndarray, np.ndarray]]
    injected: Injected
    unmapped: list[tuple[str, str]] = field(default_factory=list)
    #: The conversion rule over the planned Salesforce rates (what the plan converts with).
    money: Money | None = None
    #: Salesforce currency_type / dated_conversion_rate rows (empty without ``currencies``).
    fx_types: pd.DataFrame = field(default_factory=pd.DataFrame)
    fx_dated: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: shared_domain_accounts: the sellers' email domain and Salesforce account ids.
    marketplace: dict[str, object] = field(default_factory=dict)
    #: channel_effects: per New Business opportunity the causal model decided, its draw u and
    #: its primary person's exposure to each channel of the model (simulator/causal.py).
    causal_draws: pd.DataFrame | None = None


def _visible_before(s: pd.Series | np.ndarray, t: int = AS_OF - HOUR) -> np.ndarray:
    return np.asarray(s) < t


def build_world(cfg: SimConfig, rates: Rates) -> World:
    """Plan the company, then inject the configured disagreements."""
    r = cfg.effective_rates
    seed = cfg.seed
    inj = Injected()
    fx_types, fx_dated = plan_salesforce_rates(
        seed, cfg.profile.currencies, HISTORY_START // DAY, AS_OF // DAY, cfg.profile.offset_days
    )
    money = Money.from_tables(rates, fx_types, fx_dated, cfg.profile.offset_days)
    users = build_users(cfg)
    companies = build_companies(cfg)
    n_crm = count(
        r.crm_lead_without_marketing_contact,
        cfg.scale * (cfg.inbound_people * 0.25 + cfg.outbound_leads),
    )
    people = build_people(cfg, companies, n_crm)
    inj.add("crm_lead_without_marketing_contact", n_crm)
    inbound = marketing.plan_inbound(cfg, people)

    # MQLs the sync never carried to the CRM
    never = np.zeros(len(inbound), dtype=bool)
    chosen = pick(
        seed,
        "mql_never_synced",
        np.flatnonzero(inbound["mql_t"].to_numpy() < AS_OF - 2 * DAY),
        r.mql_never_synced,
    )
    never[chosen] = True
    inj.add("mql_never_synced", len(chosen))
    leads = crm.build_leads(cfg, people, inbound, users, never)

    b = crm.CrmBuilder(cfg, people, companies, users, rates, stream(seed, "crm"))
    model = cfg.profile.channel_effects
    if model is not None:  # the causal model decides New Business wins (simulator/causal.py)
        b.causal = model
        b.exposure = causal.plan_exposure(seed, model, len(people), inbound["pid"].to_numpy())
    legacy = crm.build_legacy(b)
    crm.replay_conversions(b, leads)
    # open opportunities left to go stale (chosen before renewals are planned)
    eligible = [
        i
        for i, o in enumerate(b.opps)
        if o["type"] == "New Business"
        and o["create_t"] < AS_OF - 45 * DAY
        and (o["close_t"] >= AS_OF)
    ]
    past_only = False
    if not eligible:  # tiny companies: any open deal can at least keep a past close date
        past_only = True
        eligible = [
            i
            for i, o in enumerate(b.opps)
            if o["create_t"] < AS_OF - 3 * DAY and o["close_t"] >= AS_OF
        ]
    chosen = pick(seed, "stale_open_opportunity", np.array(eligible), r.stale_open_opportunity)
    crm.make_stale(b, chosen.tolist(), rng_for(seed, "stale_open_opportunity"), past_only)
    inj.add("stale_open_opportunity", len(chosen))
    crm.build_renewals_and_expansions(b)
    f = crm.frames(b)
    accounts, contacts, opps = f["accounts"], f["contacts"], f["opps"]
    if cfg.profile.currencies:
        _assign_currencies(cfg, opps, f["items"], money)
    f["stages"] = _future_close_dates(cfg, opps, f["stages"])
    contacts["email"] = people.loc[contacts["pid"], "email"].to_numpy()
    first_win = crm.account_first_win(opps, len(accounts))
    accounts["cust_s"] = np.where(first_win < NEVER, sync(first_win + 600), NEVER)
    churn = np.full(len(accounts), NEVER, dtype=np.int64)
    lost_renewals = opps[
        (opps["type"] == "Renewal") & ~opps["won"] & (opps["close_t"] < HORIZON_END)
    ]
    np.minimum.at(churn, lost_renewals["account"].to_numpy(), lost_renewals["close_s"].to_numpy())
    accounts["churn_s"] = churn

    _inject_crm(cfg, r, users, leads, accounts, contacts, opps, inj)
    tasks = crm.build_tasks(cfg, leads, contacts, opps, users)
    tasks_del = pick(
        seed, "soft_deleted_task", np.flatnonzero(_visible_before(tasks["s"])), r.soft_deleted
    )
    tasks.loc[tasks_del, "del_s"] = sync(tasks.loc[tasks_del, "t"].to_numpy() + DAY)
    inj.add("soft_deleted_task", len(tasks_del))
    f["roles"], f["items"] = _removed_children(
        seed, r.soft_deleted, f["roles"], f["items"], contacts
    )
    inj.add("soft_deleted_contact_role", int((f["roles"]["del_s"] < NEVER).sum()))
    inj.add("soft_deleted_line_item", int((f["items"]["del_s"] < NEVER).sum()))

    # HubSpot contacts, with converted leads whose lifecycle was never updated
    frozen = np.zeros(len(leads), dtype=bool)
    inbound_pids = set(inbound["pid"].tolist())
    eligible = np.flatnonzero(
        (leads["conv_s"].to_numpy() < AS_OF - HOUR) & leads["pid"].isin(inbound_pids).to_numpy()
    )
    chosen = pick(seed, "lifecycle_not_updated", eligible, r.lifecycle_not_updated)
    frozen[chosen] = True
    inj.add("lifecycle_not_updated", len(chosen))
    hs = marketing.build_hs_contacts(
        cfg, people, inbound, legacy, leads, contacts, first_win, frozen
    )
    _inject_hs(cfg, r, hs, inj)
    hs = _add_duplicates(cfg, r, hs, inj)
    marketing.assign_hs_ids(hs, stream(seed, "hs_ids"))
    hs["create_override"] = NEVER
    _future_create_dates(cfg, hs)
    hs_companies = marketing.build_hs_companies(
        cfg, hs, people, companies, accounts, opps, first_win
    )
    deals, deal_stages = marketing.build_deals(cfg, opps, f["stages"], money)
    deal_stages = _inject_deals(cfg, r, users, opps, deals, deal_stages, inj)
    forms = marketing.build_forms(cfg, hs, inbound)
    campaigns = marketing.build_campaigns(cfg)
    unsub = marketing.email_recipients_plan(cfg, hs, campaigns)["unsub_t"].to_numpy()
    unknown = _unknown_sends(cfg, r, people, companies, campaigns, len(hs), inj)
    ads = build_ads(cfg)
    sessions = build_sessions(
        cfg, people, inbound, people.index[people["kind"] == "legacy"].to_numpy()
    )
    causal_draws = None
    if model is not None and b.exposure is not None:
        sessions, causal_draws = _causal_sessions(cfg, b, inbound, len(people), sessions)
    unmapped = _inject_unmapped(cfg, r, leads, hs, sessions, inj)
    chosen = pick(
        seed,
        "session_without_id",
        np.flatnonzero(
            (sessions.t < AS_OF - DAY)
            & (sessions.source_override == "")
            & (sessions.medium_override == "")
        ),
        r.session_without_id,
    )
    sessions.no_id[chosen] = True
    inj.add("session_without_id", len(chosen))
    stale_stop: dict[str, int] = {}
    # the connectors that stop are among the tables the company exports
    candidates = [t for t in STALE_CANDIDATES if cfg.profile.has(t)]
    for k, table in enumerate(candidates[: count(r.stale_tables, 1, len(candidates))]):
        stale_stop[table] = AS_OF - (4 + k) * DAY - 5 * HOUR
    inj.add("stale_tables", len(stale_stop))

    world = World(
        cfg=cfg,
        rates=rates,
        users=users,
        companies=companies,
        people=people,
        inbound=inbound,
        leads=leads,
        accounts=accounts,
        contacts=contacts,
        opps=opps,
        stages=f["stages"],
        roles=f["roles"],
        items=f["items"],
        tasks=tasks,
        hs=hs,
        hs_companies=hs_companies,
        deals=deals,
        deal_stages=deal_stages,
        forms=forms,
        form_guids=marketing.form_guids(seed),
        campaigns=campaigns,
        unsub=unsub,
        unknown_sends=unknown,
        ads=ads,
        sessions=sessions,
        stale_stop=stale_stop,
        touches={},
        injected=inj,
        unmapped=unmapped,
        money=money,
        fx_types=fx_types,
        fx_dated=fx_dated,
        causal_draws=causal_draws,
    )
    _missing_fields(cfg, leads, contacts, opps, hs)
    world.touches = _touches(world)
    if cfg.profile.shared_domain_accounts:
        from simulator.marketplace import add_marketplace

        add_marketplace(world)
    # the text written for each lead_source (the plan keeps the canonical value)
    spell_crm(cfg.profile.channel_spellings, seed, world.leads, world.contacts, world.opps)
    return world


def _causal_sessions(
    cfg: SimConfig, b: crm.CrmBuilder, inbound: pd.DataFrame, n_people: int, plan: SessionPlan
) -> tuple[SessionPlan, pd.DataFrame]:
    """channel_effects: the exposure sessions added to the plan, and the decided draws."""
    model = cfg.profile.channel_effects
    assert model is not None and b.exposure is not None
    appeared = np.full(n_people, NEVER, dtype=np.int64)
    appeared[inbound["pid"].to_numpy()] = inbound["create_t"].to_numpy()
    opp_t: dict[int, int] = {}
    for opp, pid in b.causal_opps:
        opp_t.setdefault(pid, int(b.opps[opp]["create_t"]))
    t, person, channel = causal.exposure_sessions(cfg.seed, model, b.exposure, appeared, opp_t)
    opps = np.array([o for o, _ in b.causal_opps], dtype=np.int64)
    pids = np.array([p for _, p in b.causal_opps], dtype=np.int64)
    draws = pd.DataFrame({"opp": opps, "pid": pids, "u": np.array(b.win_u)[opps]})
    for k, name in enumerate(model.channels):
        draws[name] = b.exposure[pids, k] if len(pids) else np.zeros(0, dtype=bool)
    return causal.add_sessions(plan, t, person, channel), draws


def _future_close_dates(cfg: SimConfig, opps: pd.DataFrame, stages: pd.DataFrame) -> pd.DataFrame:
    """future_dates: opportunities open at as_of (not stale) expected to close 2 to 5 years
    after as_of. Those that never close come first; one that would have closed in the batch
    horizon stays open instead (its later stage changes are dropped). They are kept from the
    soft-delete injection (``future`` flag)."""
    opps["future"] = False
    n = cfg.profile.future_dates
    if not n:
        return stages
    close_t = opps["close_t"].to_numpy()
    open_ = (
        (opps["create_s"].to_numpy() < AS_OF - HOUR)
        & (opps["close_s"].to_numpy() >= AS_OF)
        & (opps["close_date"].to_numpy() >= AS_OF // DAY)
        & (opps["dark_t"].to_numpy() >= NEVER)
    )
    rng = stream(cfg.seed, "future_dates", "opportunity")
    never = rng.permutation(np.flatnonzero(open_ & (close_t >= HORIZON_END)))
    later = rng.permutation(np.flatnonzero(open_ & (close_t < HORIZON_END)))
    chosen = np.sort(np.concatenate([never, later])[:n])
    opps.loc[chosen, "close_date"] = AS_OF // DAY + rng.integers(2 * 365, 5 * 365 + 1, len(chosen))
    opps.loc[chosen, "close_t"] = NEVER
    opps.loc[chosen, "close_s"] = NEVER
    opps.loc[chosen, "won"] = False
    opps.loc[chosen, "future"] = True
    drop = stages["opp"].isin(chosen).to_numpy() & (stages["t"].to_numpy() >= AS_OF - HOUR)
    return stages[~drop].reset_index(drop=True)


def _future_create_dates(cfg: SimConfig, hs: pd.DataFrame) -> None:
    """future_dates: live HubSpot contacts whose create date lies after as_of (and after the
    last batch day), although their row is delivered now."""
    n = cfg.profile.future_dates
    if not n:
        return
    eligible = np.flatnonzero(
        (hs["create_s"].to_numpy() < AS_OF - HOUR)
        & (hs["del_s"].to_numpy() >= NEVER)
        & ~hs["gone"].to_numpy()
        & ~hs["is_dup"].to_numpy()
    )
    rng = stream(cfg.seed, "future_dates", "hubspot_contact")
    chosen = np.sort(rng.choice(eligible, size=min(n, len(eligible)), replace=False))
    hs.loc[chosen, "create_override"] = HORIZON_END + rng.integers(HOUR, 700 * DAY, len(chosen))


def _missing_fields(
    cfg: SimConfig,
    leads: pd.DataFrame,
    contacts: pd.DataFrame,
    opps: pd.DataFrame,
    hs: pd.DataFrame,
) -> None:
    """missing_fields: a share of the live rows (visible at as_of, never deleted) written
    without a business field (the ``*_missing`` flags the snapshots read)."""
    share = cfg.profile.missing_fields
    for name, frame, flag, extra in (
        ("opportunity", opps, "created_missing", None),
        ("lead", leads, "email_missing", None),
        ("contact", contacts, "email_missing", None),
        ("hs_contact", hs, "email_missing", ~hs["gone"].to_numpy()),
    ):
        frame[flag] = False
        if share <= 0:
            continue
        ok = (frame["create_s"].to_numpy() < AS_OF - HOUR) & (frame["del_s"].to_numpy() >= NEVER)
        if extra is not None:
            ok &= extra
        chosen = pick(cfg.seed, f"missing_fields_{name}", np.flatnonzero(ok), share)
        frame.loc[chosen, flag] = True


def _assign_currencies(
    cfg: SimConfig, opps: pd.DataFrame, items: pd.DataFrame, money: Money
) -> None:
    """About a third of the non-renewal opportunities booked in the ``currencies``.

    Each keeps the USD value of its planned amount at its close date: amount = USD value x
    the currency's Salesforce conversion_rate on that date, in cents; its line items are
    scaled to the new amount. The first opportunities chosen are won New Business ones, one
    per currency, so every currency has a win.
    """
    codes = cfg.profile.currencies
    rng = stream(cfg.seed, "currencies")
    kind = opps["type"].to_numpy()
    eligible = np.flatnonzero(kind != "Renewal")
    won = np.flatnonzero(
        (kind == "New Business")
        & opps["won"].to_numpy()
        & (opps["close_t"].to_numpy() < AS_OF - DAY)
    )
    first = rng.choice(won, size=min(len(codes), len(won)), replace=False)
    rest = rng.permutation(np.setdiff1d(eligible, first))
    chosen = np.concatenate([first, rest[: max(0, round(len(eligible) / 3) - len(first))]])
    item_rows = items.groupby("opp").indices
    for k, i in enumerate(chosen.tolist()):
        code = codes[k % len(codes)]
        day = int(opps.at[i, "close_date"])
        old = float(opps.at[i, "amount"])
        usd, _ = money.to_usd(old, str(opps.at[i, "currency"]), day)
        factor = money.usd_per_unit(code, day)
        if usd is None or factor is None:
            continue
        new = round(usd / factor, 2)
        opps.at[i, "amount"] = new
        opps.at[i, "currency"] = code
        rows = item_rows.get(i, np.array([], dtype=np.int64))
        if len(rows):
            totals = np.round(items["total"].to_numpy()[rows] * (new / old), 2)
            totals[-1] = round(new - float(totals[:-1].sum()), 2)
            items.loc[items.index[rows], "total"] = totals
            items.loc[items.index[rows], "unit"] = totals / items["quantity"].to_numpy()[rows]


def _owner_injection(
    cfg: SimConfig,
    r: InjectionRates,
    users: pd.DataFrame,
    frame: pd.DataFrame,
    name: str,
    visible: np.ndarray,
    inj: Injected,
) -> None:
    seed = cfg.seed
    inactive = users.index[~users["is_active"] & (users["user_role"] != "SDR")].to_numpy()
    if name == "lead":
        inactive = users.index[~users["is_active"]].to_numpy()
    missing = pick(seed, f"owner_missing_{name}", np.flatnonzero(visible), r.owner_missing)
    frame.loc[missing, "owner_override"] = "<none>"
    rest = np.setdiff1d(np.flatnonzero(visible), missing)
    gone = pick(seed, f"owner_inactive_{name}", rest, r.owner_inactive)
    rng = rng_for(seed, f"owner_inactive_{name}")
    frame.loc[gone, "owner_override"] = users.loc[
        rng.choice(inactive, size=len(gone)), "id"
    ].to_numpy()
    inj.add("owner_missing", len(missing))
    inj.add("owner_inactive", len(gone))


def deletion_time(rng: np.random.Generator, last: int) -> int:
    """When a record whose last event was at ``last`` is soft-deleted: after that event and,
    where there is room, at least an hour before as_of. A record touched in the last hour
    before as_of is deleted between its last event and as_of (``rng.integers`` needs
    low < high: `revops generate --scale 3 --seed 7` crashed on such a lead)."""
    return int(rng.integers(last, max(last + 1, AS_OF - HOUR)))


def _removed_children(
    seed: int, rate: float, roles: pd.DataFrame, items: pd.DataFrame, contacts: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Rows a rep added to an opportunity and removed again, soft-deleted (is_deleted):

    * a contact role naming a contact who is not on the deal (the wrong person picked),
      removed later: counted as live, that person's touches would join the deal's journey;
    * a second copy of a line item, removed later: counted as live, the line items would
      add up to more than the amount.

    New rows with new ids after the existing ones; the live rows are unchanged."""
    visible = _visible_before(roles["s"])
    on_deal = set(zip(roles["opp"].tolist(), roles["contact"].tolist(), strict=True))
    chosen = pick(seed, "soft_deleted_contact_role", np.flatnonzero(visible), rate)
    rng = rng_for(seed, "soft_deleted_contact_role")
    created = contacts["create_s"].to_numpy()
    new_roles = []
    for i in chosen.tolist():
        opp, s = int(roles.at[i, "opp"]), int(roles.at[i, "s"])
        existing = np.flatnonzero(created <= s)
        if not len(existing):
            continue
        contact = int(existing[rng.integers(0, len(existing))])
        if (opp, contact) in on_deal:
            continue
        new_roles.append((opp, contact, "Influencer", False, s, int(sync(deletion_time(rng, s)))))
    add = pd.DataFrame(new_roles, columns=["opp", "contact", "role", "primary", "s", "del_s"])
    add["role_id"] = sf_ids("opportunity_contact_role", len(roles) + 1, len(add))
    roles = pd.concat([roles, add[list(roles.columns)]], ignore_index=True).astype(
        roles.dtypes.to_dict()
    )
    chosen = pick(seed, "soft_deleted_line_item", np.flatnonzero(_visible_before(items["s"])), rate)
    rng = rng_for(seed, "soft_deleted_line_item")
    add = items.iloc[chosen].copy()
    add["del_s"] = [int(sync(deletion_time(rng, int(s)))) for s in add["s"]]
    add["item_id"] = sf_ids("opportunity_line_item", len(items) + 1, len(add))
    items = pd.concat([items, add], ignore_index=True).astype(items.dtypes.to_dict())
    return roles, items


def _inject_crm(
    cfg: SimConfig,
    r: InjectionRates,
    users: pd.DataFrame,
    leads: pd.DataFrame,
    accounts: pd.DataFrame,
    contacts: pd.DataFrame,
    opps: pd.DataFrame,
    inj: Injected,
) -> None:
    seed = cfg.seed
    opp_visible = _visible_before(opps["create_s"])
    closed_visible = _visible_before(opps["close_s"])
    stale = (opps["dark_t"].to_numpy() < NEVER) | (
        (opps["close_t"].to_numpy() >= NEVER) & (opps["close_date"].to_numpy() < AS_OF // DAY)
    )
    # orphan opportunities: their account id points nowhere
    chosen = pick(
        seed,
        "orphan_opportunity",
        np.flatnonzero(opp_visible & ~opps["won"].to_numpy() & ~stale),
        r.orphan_opportunity,
    )
    opps.loc[chosen, "account_override"] = [sf_id("account", 50_000_000 + i) for i in chosen]
    inj.add("orphan_opportunity", len(chosen))
    # won deals booked in a currency no rate source knows
    code = cfg.unconvertible_code
    chosen = pick(
        seed,
        "unconvertible_currency",
        np.flatnonzero(closed_visible & opps["won"] & (opps["type"] != "New Business")),
        r.unconvertible_currency,
    )
    opps.loc[chosen, "currency"] = code
    inj.add("unconvertible_currency", len(chosen))
    # close date before the creation date
    chosen = pick(
        seed,
        "timeline_close_before_create",
        np.flatnonzero(closed_visible & (opps["currency"] != code)),
        r.timeline_inversion,
    )
    rng = rng_for(seed, "timeline_close_before_create")
    opps.loc[chosen, "close_date"] = opps.loc[chosen, "create_t"].to_numpy() // DAY - rng.integers(
        1, 20, len(chosen)
    )
    inj.add("timeline_inversion", len(chosen))
    # soft-deleted opportunities (not won, to keep the revenue story simple)
    chosen = pick(
        seed,
        "soft_deleted_opportunity",
        np.flatnonzero(opp_visible & ~opps["won"].to_numpy() & ~stale & ~opps["future"].to_numpy()),
        r.soft_deleted,
    )
    rng = rng_for(seed, "soft_deleted_opportunity")
    for i in chosen:
        last = int(opps.at[i, "create_s"])
        if opps.at[i, "close_s"] < AS_OF:
            last = int(opps.at[i, "close_s"])
        opps.at[i, "del_s"] = int(sync(deletion_time(rng, last)))
    inj.add("soft_deleted", len(chosen))
    _owner_injection(cfg, r, users, opps, "opportunity", opp_visible, inj)
    _owner_injection(cfg, r, users, accounts, "account", _visible_before(accounts["create_s"]), inj)

    lead_visible = _visible_before(leads["create_s"])
    unconverted = leads["conv_t"].to_numpy() >= NEVER
    # soft-deleted unconverted leads
    chosen = pick(
        seed, "soft_deleted_lead", np.flatnonzero(lead_visible & unconverted), r.soft_deleted
    )
    rng = rng_for(seed, "soft_deleted_lead")
    for i in chosen:
        last = max(
            int(leads.at[i, c]) for c in ("create_s", "work_s", "out_s") if leads.at[i, c] < AS_OF
        )
        leads.at[i, "del_s"] = int(sync(deletion_time(rng, last)))
    inj.add("soft_deleted", len(chosen))
    deleted = leads["del_s"].to_numpy() < NEVER
    # late-arriving outbound leads: created in the period, first synced during batch 1
    outbound = leads["lead_source"].isin(ref.OUTBOUND_LEAD_SOURCES).to_numpy()
    chosen = pick(
        seed,
        "late_arriving",
        np.flatnonzero(
            outbound & unconverted & ~deleted & (leads["create_t"].to_numpy() < AS_OF - 7 * DAY)
        ),
        r.late_arriving,
    )
    rng = rng_for(seed, "late_arriving")
    late = AS_OF + rng.integers(HOUR, 20 * HOUR, len(chosen))
    leads.loc[chosen, "late_s"] = late
    for c in ("create_s", "work_s", "out_s"):
        vals = leads.loc[chosen, c].to_numpy()
        leads.loc[chosen, c] = np.where(vals < NEVER, np.maximum(vals, late), NEVER)
    inj.add("late_arriving", len(chosen))
    # converted date before the creation date
    chosen = pick(
        seed,
        "timeline_converted_before_created",
        np.flatnonzero(leads["conv_s"].to_numpy() < AS_OF - HOUR),
        r.timeline_inversion,
    )
    rng = rng_for(seed, "timeline_converted_before_created")
    leads.loc[chosen, "converted_date_override"] = leads.loc[
        chosen, "create_t"
    ].to_numpy() // DAY - rng.integers(1, 10, len(chosen))
    inj.add("timeline_inversion", len(chosen))
    _owner_injection(cfg, r, users, leads, "lead", lead_visible & ~deleted, inj)
    # email case / whitespace differences against marketing (leads and contacts)
    rng = rng_for(seed, "email_case_whitespace")
    for frame, name in ((leads, "lead"), (contacts, "contact")):
        frame["email_variant"] = ""
        chosen = pick(
            seed,
            f"email_case_whitespace_{name}",
            np.flatnonzero(_visible_before(frame["create_s"])),
            r.email_case_whitespace,
        )
        emails = frame["email"].to_numpy()
        for i in chosen:
            frame.at[i, "email_variant"] = _variant(str(emails[i]), rng)
        inj.add("email_case_whitespace", len(chosen))
    # contacts without an account
    chosen = pick(
        seed,
        "contact_without_account",
        np.flatnonzero(_visible_before(contacts["create_s"])),
        r.contact_without_account,
    )
    contacts.loc[chosen, "account_override"] = "<none>"
    inj.add("contact_without_account", len(chosen))
    _owner_injection(cfg, r, users, contacts, "contact", _visible_before(contacts["create_s"]), inj)


def _variant(email: str, rng: np.random.Generator) -> str:
    kind = int(rng.integers(0, 3))
    if kind == 0:
        local, _, dom = email.partition("@")
        return ".".join(p.capitalize() for p in local.split(".")) + "@" + dom.capitalize()
    if kind == 1:
        return " " + email
    return email.upper() + " "


def _inject_hs(cfg: SimConfig, r: InjectionRates, hs: pd.DataFrame, inj: Injected) -> None:
    seed = cfg.seed
    visible = _visible_before(hs["create_s"])
    # marketing says customer, the CRM has no won deal
    eligible = np.flatnonzero(
        (hs["opp_s"].to_numpy() < AS_OF - 3 * DAY) & (hs["cust_t"].to_numpy() >= NEVER)
    )
    chosen = pick(seed, "false_customer", eligible, r.false_customer)
    rng = rng_for(seed, "false_customer")
    for i in chosen:
        t = int(rng.integers(int(hs.at[i, "opp_s"]) + HOUR, AS_OF - 2 * HOUR))
        hs.at[i, "cust_t"] = t
        hs.at[i, "cust_s"] = int(sync(t))
    inj.add("false_customer", len(chosen))
    # MQL date before the create date
    chosen = pick(
        seed,
        "timeline_mql_before_create",
        np.flatnonzero(hs["mql_s"].to_numpy() < AS_OF - HOUR),
        r.timeline_inversion,
    )
    rng = rng_for(seed, "timeline_mql_before_create")
    hs.loc[chosen, "mql_t"] = hs.loc[chosen, "create_t"].to_numpy() - rng.integers(
        DAY, 30 * DAY, len(chosen)
    )
    inj.add("timeline_inversion", len(chosen))
    # soft-deleted marketing contacts
    chosen = pick(seed, "soft_deleted_hs_contact", np.flatnonzero(visible), r.soft_deleted)
    rng = rng_for(seed, "soft_deleted_hs_contact")
    for i in chosen:
        last = max(int(hs.at[i, c]) for c in hs.columns if c.endswith("_s") and hs.at[i, c] < AS_OF)
        hs.at[i, "del_s"] = int(sync(deletion_time(rng, last)))
    inj.add("soft_deleted", len(chosen))


def _add_duplicates(
    cfg: SimConfig, r: InjectionRates, hs: pd.DataFrame, inj: Injected
) -> pd.DataFrame:
    seed = cfg.seed
    eligible = np.flatnonzero(
        (hs["create_t"].to_numpy() < AS_OF - 20 * DAY) & (hs["del_s"].to_numpy() >= NEVER)
    )
    merged = pick(seed, "duplicate_merged", eligible, r.duplicate_merged)
    unmerged = pick(
        seed, "duplicate_unmerged", np.setdiff1d(eligible, merged), r.duplicate_unmerged
    )
    rng = rng_for(seed, "duplicates")
    chosen = np.concatenate([merged, unmerged])
    is_merged = np.concatenate([np.ones(len(merged), bool), np.zeros(len(unmerged), bool)])
    keep = rng.random(len(chosen)) < r.merged_kept_deleted_share
    inj.add("duplicate_merged", len(merged))
    inj.add("duplicate_unmerged", len(unmerged))
    return marketing.add_duplicates(hs, chosen, is_merged, keep, rng)


def _inject_deals(
    cfg: SimConfig,
    r: InjectionRates,
    users: pd.DataFrame,
    opps: pd.DataFrame,
    deals: pd.DataFrame,
    deal_stages: pd.DataFrame,
    inj: Injected,
) -> pd.DataFrame:
    seed = cfg.seed
    visible = _visible_before(deals["create_s"])
    chosen = pick(seed, "deal_amount_mismatch", np.flatnonzero(visible), r.deal_amount_mismatch)
    rng = rng_for(seed, "deal_amount_mismatch")
    factors = rng.choice([0.8, 0.9, 1.1, 1.25], size=len(chosen))
    deals.loc[chosen, "amount"] = np.round(deals.loc[chosen, "amount"].to_numpy() * factors, 2)
    inj.add("deal_amount_mismatch", len(chosen))
    chosen = pick(
        seed, "deal_close_date_mismatch", np.flatnonzero(visible), r.deal_close_date_mismatch
    )
    rng = rng_for(seed, "deal_close_date_mismatch")
    shift = rng.integers(2, 30, len(chosen)) * rng.choice([-1, 1], size=len(chosen))
    deals.loc[chosen, "close_date"] = deals.loc[chosen, "close_date"].to_numpy() + shift
    inj.add("deal_close_date_mismatch", len(chosen))
    # deals left open although the opportunity closed: the closing stage change never came
    closed = opps["close_s"].to_numpy()[deals["opp"].to_numpy()] < AS_OF - HOUR
    chosen = pick(
        seed, "deal_stage_mismatch", np.flatnonzero(visible & closed), r.deal_stage_mismatch
    )
    if len(chosen):
        last = deal_stages.groupby("deal").tail(1)
        drop = last[last["deal"].isin(chosen)].index
        deal_stages = deal_stages.drop(index=drop).reset_index(drop=True)
    inj.add("deal_stage_mismatch", len(chosen))
    chosen = pick(seed, "deal_owner_mismatch", np.flatnonzero(visible), r.deal_owner_mismatch)
    rng = rng_for(seed, "deal_owner_mismatch")
    active = users[users["is_active"] & (users["user_role"] == "Account Executive")]
    for i in chosen:
        owner = int(opps.at[int(deals.at[i, "opp"]), "owner"])
        others = active[active.index != owner]
        deals.at[i, "owner_override"] = int(
            others["owner_id"].iloc[int(rng.integers(0, len(others)))]
        )
    inj.add("deal_owner_mismatch", len(chosen))
    chosen = pick(seed, "soft_deleted_deal", np.flatnonzero(visible), r.soft_deleted)
    rng = rng_for(seed, "soft_deleted_deal")
    for i in chosen:
        deals.at[i, "del_s"] = int(
            sync(int(rng.integers(int(deals.at[i, "create_s"]), AS_OF - HOUR)))
        )
    inj.add("soft_deleted", len(chosen))
    return deal_stages


def _unknown_sends(
    cfg: SimConfig,
    r: InjectionRates,
    people: pd.DataFrame,
    companies: pd.DataFrame,
    campaigns: pd.DataFrame,
    n_contacts: int,
    inj: Injected,
) -> pd.DataFrame:
    """Sends to addresses no marketing contact has (old list imports, typos)."""
    k = count(r.unknown_recipient_event, n_contacts * 10)
    rng = rng_for(cfg.seed, "unknown_recipient_event")
    batch = campaigns[(campaigns["type"] == "BATCH") & (campaigns["send_t"] < AS_OF - DAY)]
    known = set(people["email"].tolist())
    rows = []
    for j in range(k):
        c = batch.iloc[int(rng.integers(0, len(batch)))]
        dom = companies["domain"].iat[int(rng.integers(0, len(companies)))]
        first = ref.FIRST_NAMES[int(rng.integers(0, len(ref.FIRST_NAMES)))].lower()
        address = f"{first}.former{j}@{dom}"
        if address in known:
            address = f"x{address}"
        rows.append((int(c["campaign_id"]), address, int(c["send_t"]) + int(rng.integers(0, 1800))))
    inj.add("unknown_recipient_event", k)
    return pd.DataFrame(rows, columns=["campaign_id", "address", "t"])


def _inject_unmapped(
    cfg: SimConfig,
    r: InjectionRates,
    leads: pd.DataFrame,
    hs: pd.DataFrame,
    sessions: SessionPlan,
    inj: Injected,
) -> list[tuple[str, str]]:
    """Picklist values nobody mapped, each used on a few rows."""
    n = count(r.unmapped_values, 1, len(ref.UNMAPPED_CANDIDATES))
    used = []
    seed = cfg.seed
    lead_ok = (leads["create_s"].to_numpy() < AS_OF - HOUR) & (leads["del_s"].to_numpy() >= NEVER)
    hs_ok = (
        (hs["create_s"].to_numpy() < AS_OF - HOUR)
        & (hs["del_s"].to_numpy() >= NEVER)
        & ~hs["gone"].to_numpy()
    )
    sess_ok = sessions.t < AS_OF - DAY
    share = max(r.unmapped_value_rows, 1e-9)
    for picklist, value in ref.UNMAPPED_CANDIDATES[:n]:
        name = f"unmapped_{picklist}_{value}"
        if picklist == "utm_source":
            chosen = pick(
                seed,
                name,
                np.flatnonzero(
                    sess_ok & (sessions.source_override == "") & (sessions.medium_override == "")
                ),
                share,
            )
            sessions.source_override[chosen] = value
            sessions.medium_override[chosen] = "paid_social"
        elif picklist == "utm_medium":
            chosen = pick(
                seed,
                name,
                np.flatnonzero(
                    sess_ok & (sessions.source_override == "") & (sessions.medium_override == "")
                ),
                share,
            )
            sessions.source_override[chosen] = "linkedin"
            sessions.medium_override[chosen] = value
        elif picklist == "lead_source":
            eligible = lead_ok & leads["lead_source"].isin(ref.OUTBOUND_LEAD_SOURCES).to_numpy()
            chosen = pick(seed, name, np.flatnonzero(eligible), share)
            leads.loc[chosen, "lead_source"] = value
        elif picklist == "lead_status":
            eligible = (
                lead_ok
                & (leads["out_status"] == "Nurturing").to_numpy()
                & (leads["out_s"].to_numpy() < AS_OF - HOUR)
                & (leads["conv_t"].to_numpy() >= NEVER)
            )
            chosen = pick(seed, name, np.flatnonzero(eligible), share)
            leads.loc[chosen, "out_status"] = value
        elif picklist == "analytics_source":
            chosen = pick(seed, name, np.flatnonzero(hs_ok & ~hs["is_dup"].to_numpy()), share)
            hs.loc[chosen, "analytics_source"] = value
        else:  # lifecycle_stage: contacts the CRM does not know
            eligible = hs_ok & (hs["sf_lead"].to_numpy() < 0) & (hs["sf_contact"].to_numpy() < 0)
            chosen = pick(seed, name, np.flatnonzero(eligible & ~hs["is_dup"].to_numpy()), share)
            hs.loc[chosen, "stage_override"] = value
        if len(chosen):
            used.append((picklist, value))
            inj.add("unmapped_value_rows", len(chosen))
    inj.add("unmapped_values", len(used))
    return used


def _touch_table(
    rng: np.random.Generator, create_s: np.ndarray, allowed: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """One 'system modstamp' re-sync per day of a random existing row (keeps freshness honest)."""
    days = np.arange(PERIOD_START // DAY, HORIZON_END // DAY)
    t = business_time(rng, days)
    cand = np.flatnonzero(allowed)
    order = cand[np.argsort(create_s[cand], kind="stable")]
    created = create_s[order]
    idx, s = [], []
    for tt in t.tolist():
        k = int(np.searchsorted(created, tt))
        if k == 0:
            continue
        idx.append(int(order[int(rng.integers(0, k))]))
        s.append(int(sync(tt)))
    return np.array(idx, dtype=np.int64), np.array(s, dtype=np.int64)


def _touches(w: World) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    rng = stream(w.cfg.seed, "touches")
    out = {}
    static = np.full(len(w.users), REFERENCE_SYNC, dtype=np.int64)
    specs = {
        "salesforce/account": (w.accounts["create_s"].to_numpy(), None),
        "salesforce/contact": (w.contacts["create_s"].to_numpy(), None),
        "salesforce/lead": (w.leads["create_s"].to_numpy(), None),
        "salesforce/opportunity": (w.opps["create_s"].to_numpy(), None),
        "salesforce/user": (static, None),
        "hubspot/contact": (w.hs["create_s"].to_numpy(), ~w.hs["gone"].to_numpy()),
        "hubspot/company": (w.hs_companies["create_s"].to_numpy(), None),
        "hubspot/deal": (w.deals["create_s"].to_numpy(), None),
        "hubspot/owner": (static, None),
    }
    for table, (create_s, allowed) in specs.items():
        ok = np.ones(len(create_s), bool) if allowed is None else allowed
        out[table] = _touch_table(rng, create_s, ok)
    return out
