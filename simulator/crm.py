"""Salesforce side of the plan: leads, conversions, accounts, contacts, opportunities.

Everything is planned as event times (int64 seconds) with the connector sync time of each
change (``*_s`` columns); snapshots at any moment are cut from this plan by snapshot.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from simulator import reference as ref
from simulator.channel_effects import ChannelEffects
from simulator.clock import business_time, sync, sync1_coupled, sync_coupled
from simulator.config import (
    AS_OF,
    DAY,
    HORIZON_END,
    HOUR,
    LEGACY_START,
    NEVER,
    PERIOD_START,
    SimConfig,
)
from simulator.fx import Rates
from simulator.ids import sf_ids
from simulator.rng import stream

ROLE_OTHERS = ("Evaluator", "Influencer", "Technical Buyer", "Business User")


def _cap(t: np.ndarray) -> np.ndarray:
    """Times at or after the simulated horizon never happen."""
    return np.where(t >= HORIZON_END, NEVER, t)


def build_leads(
    cfg: SimConfig,
    people: pd.DataFrame,
    inbound: pd.DataFrame,
    users: pd.DataFrame,
    never_synced: np.ndarray,
) -> pd.DataFrame:
    """Leads: MQLs synced from marketing, outbound prospects, imported marketing lists."""
    rng = stream(cfg.seed, "leads")
    mql = inbound[(inbound["mql_t"] < NEVER) & ~never_synced]
    other = people.index[people["kind"].isin(["outbound", "crm_mkt"])].to_numpy()
    pid = np.concatenate([mql["pid"].to_numpy(), other])
    n_m = len(mql)
    create_t = np.concatenate(
        [mql["mql_t"].to_numpy() + rng.integers(60, 540, n_m), people.loc[other, "t0"].to_numpy()]
    )
    create_s = np.concatenate(
        [sync_coupled(mql["mql_t"].to_numpy()), sync(people.loc[other, "t0"].to_numpy())]
    )
    kinds = people.loc[pid, "kind"].to_numpy()
    channel = people.loc[pid, "channel"].to_numpy()
    n = len(pid)
    source = np.empty(n, dtype=object)
    q_factor = np.ones(n)
    for i in range(n):
        if kinds[i] == "inbound":
            ch = ref.INBOUND_CHANNELS[channel[i]]
            source[i] = ch.lead_sources[i % len(ch.lead_sources)]
            q_factor[i] = ch.qualify_factor
        elif kinds[i] == "outbound":
            source[i] = ref.OUTBOUND_LEAD_SOURCES[0 if i % 10 < 7 else 1]
        else:
            source[i] = ("Trade Show", "Webinar")[i % 2]
    qualify = np.where(
        kinds == "inbound", cfg.qualify_share_inbound * q_factor, cfg.qualify_share_outbound
    )
    worked = rng.random(n) < cfg.sal_share
    work_t = create_t + np.maximum(600, rng.lognormal(np.log(5 * HOUR), 1.0, n)).astype(np.int64)
    work_t = _cap(np.where(worked, work_t, NEVER))
    qualified = (rng.random(n) < qualify) & (work_t < NEVER)
    out_t = work_t + np.maximum(HOUR, rng.lognormal(np.log(6 * DAY), 0.8, n)).astype(np.int64)
    out_t = _cap(np.where(work_t < NEVER, out_t, NEVER))
    out_status = np.where(
        qualified, "Qualified", np.where(rng.random(n) < 0.6, "Unqualified", "Nurturing")
    ).astype(object)
    conv_t = _cap(
        np.where(qualified & (out_t < NEVER), out_t + rng.integers(HOUR, 48 * HOUR, n), NEVER)
    )
    sdrs = users.index[(users["user_role"] == "SDR") & users["is_active"]].to_numpy()
    order = np.argsort(create_t, kind="stable")
    frame = (
        pd.DataFrame(
            {
                "pid": pid,
                "lead_source": source,
                "owner": rng.choice(sdrs, size=n),
                "create_t": create_t,
                "create_s": create_s,
                "work_t": work_t,
                "work_s": sync(work_t),
                "out_t": out_t,
                "out_s": sync_coupled(out_t),
                "out_status": out_status,
                "conv_t": conv_t,
                "conv_s": sync_coupled(conv_t),
            }
        )
        .iloc[order]
        .reset_index(drop=True)
    )
    frame["lead_id"] = sf_ids("lead", 1, n)
    frame["email"] = people.loc[frame["pid"], "email"].to_numpy()
    for col in ("conv_account", "conv_contact", "conv_opp"):
        frame[col] = -1
    frame["del_s"] = NEVER
    frame["converted_date_override"] = NEVER
    frame["late_s"] = 0
    frame["owner_override"] = ""
    return frame


@dataclass
class CrmBuilder:
    """Accumulates accounts, contacts and opportunities while replaying conversions in time."""

    cfg: SimConfig
    people: pd.DataFrame
    companies: pd.DataFrame
    users: pd.DataFrame
    rates: Rates
    rng: np.random.Generator
    accounts: list[dict] = field(default_factory=list)
    contacts: list[dict] = field(default_factory=list)
    opps: list[dict] = field(default_factory=list)
    stages: list[tuple[int, int, int, str, str]] = field(default_factory=list)
    roles: list[tuple[int, int, str, bool, int]] = field(default_factory=list)
    items: list[tuple[int, int, float, float, float, int]] = field(default_factory=list)
    account_of_company: dict[int, int] = field(default_factory=dict)
    #: The causal model of conversion (profile option channel_effects; None: channel rates).
    causal: ChannelEffects | None = None
    #: Per person, the exposure to each channel of ``causal`` (simulator/causal.py).
    exposure: np.ndarray | None = None
    #: The uniform draw that decided each opportunity (won iff draw < its win probability).
    win_u: list[float] = field(default_factory=list)
    #: (opportunity, primary person) of the New Business opportunities ``causal`` decided.
    causal_opps: list[tuple[int, int]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.aes = self.users.index[
            (self.users["user_role"] == "Account Executive") & self.users["is_active"]
        ].to_numpy()
        self.company_name = self.companies["name"].to_numpy().astype(object)
        self.company_currency = self.companies["currency"].to_numpy().astype(object)
        self.company_employees = self.companies["employees"].to_numpy()

    # -- entities -------------------------------------------------------------------------
    def account(self, company: int, t: int, t_s: int) -> int:
        if company in self.account_of_company:
            return self.account_of_company[company]
        idx = len(self.accounts)
        self.accounts.append(
            {
                "company": company,
                "owner": int(self.rng.choice(self.aes)),
                "create_t": t,
                "create_s": t_s,
            }
        )
        self.account_of_company[company] = idx
        return idx

    def contact(self, pid: int, account: int, t: int, t_s: int, lead_source: str) -> int:
        idx = len(self.contacts)
        self.contacts.append(
            {
                "pid": pid,
                "account": account,
                "create_t": t,
                "create_s": t_s,
                "lead_source": lead_source,
                "owner": self.accounts[account]["owner"],
            }
        )
        return idx

    def usd_amount(self, company: int, day: int) -> float:
        """A deal size in the account's currency (round numbers)."""
        employees = float(self.company_employees[company])
        usd = (
            self.cfg.deal_size_median_usd
            * (employees / 180.0) ** 0.25
            * float(self.rng.lognormal(0.0, 0.6))
        )
        cur = str(self.company_currency[company])
        rate = self.rates.usd_per_unit(cur, day) or 1.0
        return float(max(1_000, round(usd / rate / 50.0) * 50.0))

    def opportunity(
        self,
        account: int,
        kind: str,
        create_t: int,
        primary_contact: int,
        lead_source: str,
        amount: float,
        win_prob: float,
        close_t: int | None = None,
    ) -> int:
        """Plan one opportunity: stage path, close, contact role and line items."""
        rng = self.rng
        idx = len(self.opps)
        acc = self.accounts[account]
        company = acc["company"]
        if close_t is None:
            if kind == "New Business":
                days = rng.lognormal(np.log(self.cfg.cycle_median_days), self.cfg.cycle_sigma)
            else:
                days = rng.lognormal(np.log(30.0), 0.6)
            days = float(min(max(days, 2.0), 300.0))
            close_day = int((create_t + days * DAY) // DAY)
            close_t = int(business_time(rng, np.array([close_day]))[0])
        close_t = max(close_t, create_t + 2 * HOUR)
        u = float(rng.random())
        self.win_u.append(u)
        won = bool(u < win_prob)
        start = 0 if kind == "New Business" else 1
        opens = list(ref.OPEN_STAGES)
        if won:
            path = [*opens[start + 1 :], "Closed Won"]
        else:
            reach = int(rng.integers(start, len(opens)))
            path = [*opens[start + 1 : reach + 1], "Closed Lost"]
        between = np.sort(rng.uniform(create_t + HOUR, close_t - HOUR, len(path) - 1))
        times = [*between.astype(np.int64).tolist(), close_t]
        old = opens[start]
        for t, stage in zip(times, path, strict=True):
            if t < HORIZON_END:
                self.stages.append((idx, int(t), sync1_coupled(int(t)), old, stage))
            old = stage
        create_s = sync1_coupled(int(create_t))
        year = 1970 + int(np.datetime64(int(create_t), "s").astype("datetime64[Y]").astype(int))
        self.opps.append(
            {
                "account": account,
                "owner": acc["owner"],
                "name": f"{self.company_name[company]} - {kind} {year}",
                "type": kind,
                "amount": amount,
                "currency": str(self.company_currency[company]),
                "lead_source": lead_source,
                "create_t": create_t,
                "create_s": create_s,
                "close_t": int(close_t),
                "close_date": int(close_t // DAY),
                "won": won,
                "start_stage": opens[start],
                "primary_contact": primary_contact,
                "dark_t": NEVER,
            }
        )
        self.roles.append((idx, primary_contact, "Decision Maker", True, create_s))
        # line items: a subscription plus, sometimes, services; they add up to the amount
        tier = 2 if amount > 40_000 else (1 if amount > 12_000 else 0)
        if kind != "New Business" or rng.random() < 0.5:
            self.items.append((idx, tier, 1.0, amount, amount, create_s))
        else:
            services = float(round(amount * 0.15 / 10.0) * 10.0)
            main = amount - services
            self.items.append((idx, tier, 1.0, main, main, create_s))
            self.items.append((idx, 5, 1.0, services, services, create_s))
        return idx

    def open_opportunity_at(self, account: int, t: int) -> int:
        """The account's opportunity open at t (not a renewal), or -1."""
        for idx in reversed(self.opp_by_account.get(account, [])):
            opp = self.opps[idx]
            if opp["type"] != "Renewal" and opp["create_t"] <= t < opp["close_t"]:
                return idx
        return -1

    def customer_at(self, account: int, t: int) -> bool:
        return any(
            self.opps[i]["won"] and self.opps[i]["close_t"] <= t
            for i in self.opp_by_account.get(account, [])
        )

    @property
    def opp_by_account(self) -> dict[int, list[int]]:
        if not hasattr(self, "_by_account"):
            self._by_account: dict[int, list[int]] = {}
        return self._by_account

    def index_opp(self, idx: int) -> None:
        self.opp_by_account.setdefault(self.opps[idx]["account"], []).append(idx)


def build_legacy(b: CrmBuilder) -> pd.DataFrame:
    """Customers acquired in 2024: accounts, contacts, won New Business opportunities.

    Returns the HubSpot lifecycle plan of their people (pid, create and stage times).
    """
    rng = b.rng
    people = b.people
    legacy = people[people["kind"] == "legacy"]
    rows = []
    for company, group in legacy.groupby("company", sort=True):
        close_day = int(rng.integers(LEGACY_START // DAY, LEGACY_START // DAY + 366))
        close_t = int(business_time(rng, np.array([close_day]))[0])
        cycle = float(min(max(rng.lognormal(np.log(b.cfg.cycle_median_days), 0.6), 5), 200))
        opp_t = int(close_t - cycle * DAY)
        acc_t = opp_t - int(rng.integers(HOUR, 20 * DAY))
        account = b.account(int(company), acc_t, int(sync(acc_t)))
        pids = group.index.to_numpy()
        contact_idx = []
        for k, pid in enumerate(pids):
            t = acc_t + (0 if k == 0 else int(rng.integers(HOUR, 25 * DAY)))
            t = min(t, opp_t - HOUR) if k == 0 else t
            hs_create = t - int(rng.integers(5 * DAY, 150 * DAY))
            ch = ref.INBOUND_CHANNELS[int(rng.integers(0, len(ref.INBOUND_CHANNELS)))]
            source = ch.lead_sources[0] if rng.random() < 0.7 else "Outbound"
            c = b.contact(int(pid), account, t, int(sync(t)), source)
            contact_idx.append(c)
            rows.append(
                {
                    "pid": int(pid),
                    "create_t": hs_create,
                    "channel": ch.name,
                    "primary": k == 0,
                    "contact": c,
                    "opp_t": opp_t,
                }
            )
        amount = b.usd_amount(int(company), close_day)
        opp = b.opportunity(
            account,
            "New Business",
            opp_t,
            contact_idx[0],
            b.contacts[contact_idx[0]]["lead_source"],
            amount,
            1.1,
            close_t,
        )
        b.index_opp(opp)
        for c in contact_idx[1:]:
            if rng.random() < 0.5:
                role = ROLE_OTHERS[int(rng.integers(0, len(ROLE_OTHERS)))]
                b.roles.append((opp, c, role, False, b.opps[opp]["create_s"]))
    return pd.DataFrame(rows)


def replay_conversions(b: CrmBuilder, leads: pd.DataFrame) -> None:
    """Qualified leads convert in time order: account, contact, and a new or existing deal."""
    rng = b.rng
    company_of = b.people["company"].to_numpy()
    channel_of = b.people["channel"].to_numpy()
    conv_t = leads["conv_t"].to_numpy()
    conv_s = leads["conv_s"].to_numpy()
    pid_of = leads["pid"].to_numpy()
    source_of = leads["lead_source"].to_numpy().astype(object)
    conv = np.flatnonzero(conv_t < NEVER)
    conv = conv[np.argsort(conv_t[conv], kind="stable")]
    win_factor = {c.name: c.win_factor for c in ref.INBOUND_CHANNELS}
    out_account = np.full(len(leads), -1, dtype=np.int64)
    out_contact = np.full(len(leads), -1, dtype=np.int64)
    out_opp = np.full(len(leads), -1, dtype=np.int64)
    for li in conv.tolist():
        pid = int(pid_of[li])
        t, t_s = int(conv_t[li]), int(conv_s[li])
        source = str(source_of[li])
        company = int(company_of[pid])
        account = b.account(company, t, t_s)
        contact = b.contact(pid, account, t, t_s, source)
        opp = b.open_opportunity_at(account, t)
        if opp >= 0:
            role = ROLE_OTHERS[int(rng.integers(0, len(ROLE_OTHERS)))]
            b.roles.append((opp, contact, role, False, t_s))
        else:
            kind = "Expansion" if b.customer_at(account, t) else "New Business"
            if kind == "New Business":
                ch = int(channel_of[pid])
                factor = win_factor[ref.INBOUND_CHANNELS[ch].name] if ch >= 0 else 0.8
                p_win = b.cfg.win_rate_new_business * factor
                if b.causal is not None and b.exposure is not None:
                    p_win = b.causal.win_probability(b.exposure[pid].tolist())
                amount = b.usd_amount(company, t // DAY)
            else:
                p_win = b.cfg.win_rate_expansion
                amount = float(round(b.usd_amount(company, t // DAY) * 0.35 / 50.0) * 50.0)
            opp = b.opportunity(account, kind, t, contact, source, amount, p_win)
            b.index_opp(opp)
            if kind == "New Business" and b.causal is not None:
                b.causal_opps.append((opp, pid))
        out_account[li], out_contact[li], out_opp[li] = account, contact, opp
    leads["conv_account"] = out_account
    leads["conv_contact"] = out_contact
    leads["conv_opp"] = out_opp


def build_renewals_and_expansions(b: CrmBuilder) -> None:
    """Each won New Business contract renews at its anniversary (or churns); customers expand."""
    rng = b.rng
    contacts_of: dict[int, list[int]] = {}
    for i, c in enumerate(b.contacts):
        contacts_of.setdefault(c["account"], []).append(i)
    base = [
        i
        for i, o in enumerate(b.opps)
        if o["type"] == "New Business" and o["won"] and o["close_t"] < HORIZON_END
    ]
    for i in base:
        nb = b.opps[i]
        account = nb["account"]
        win_t = nb["close_t"]
        anniversary = win_t + 365 * DAY
        churn_t = NEVER
        create_t = anniversary - 60 * DAY + int(rng.integers(0, 8 * HOUR))
        if create_t < HORIZON_END:
            candidates = [c for c in contacts_of[account] if b.contacts[c]["create_t"] < create_t]
            primary = candidates[int(rng.integers(0, len(candidates)))]
            amount = float(round(nb["amount"] * rng.uniform(1.0, 1.08) / 10.0) * 10.0)
            close_t = int(business_time(rng, np.array([anniversary // DAY]))[0])
            r = b.opportunity(
                account,
                "Renewal",
                create_t,
                primary,
                nb["lead_source"],
                amount,
                b.cfg.win_rate_renewal,
                close_t,
            )
            b.index_opp(r)
            if not b.opps[r]["won"]:
                churn_t = b.opps[r]["close_t"]
        end = min(churn_t, HORIZON_END)
        start = win_t + 30 * DAY
        if end > start:
            years = (end - start) / (365 * DAY)
            for _ in range(int(rng.poisson(b.cfg.expansions_per_customer_year * years))):
                t = int(rng.integers(start, end))
                day = t // DAY
                t = int(business_time(rng, np.array([day]))[0])
                candidates = [c for c in contacts_of[account] if b.contacts[c]["create_t"] < t]
                if not candidates or b.open_opportunity_at(account, t) >= 0:
                    continue
                primary = candidates[int(rng.integers(0, len(candidates)))]
                amount = float(max(500.0, round(nb["amount"] * rng.uniform(0.1, 0.5) / 50) * 50))
                e = b.opportunity(
                    account,
                    "Expansion",
                    t,
                    primary,
                    nb["lead_source"],
                    amount,
                    b.cfg.win_rate_expansion,
                )
                b.index_opp(e)


def make_stale(
    b: CrmBuilder, chosen: list[int], rng: np.random.Generator, past_only: bool = False
) -> None:
    """Open opportunities that went dark (no stage change or task after ``dark_t``) or keep a
    close date in the past; either way they never close."""
    drop = set()
    for i in chosen:
        o = b.opps[i]
        o["won"] = False
        o["close_t"] = NEVER
        if past_only or rng.random() < 0.5:  # the rep left a close date in the past
            past = max(o["create_t"] // DAY + 1, AS_OF // DAY - int(rng.integers(3, 30)))
            o["close_date"] = int(min(past, AS_OF // DAY - 1))
        if not past_only:
            lo = max(o["create_t"] + DAY, AS_OF - 90 * DAY)
            o["dark_t"] = int(rng.integers(lo, AS_OF - 32 * DAY))
            drop.add(i)
    b.stages = [s for s in b.stages if not (s[0] in drop and s[1] > b.opps[s[0]]["dark_t"])]


def frames(b: CrmBuilder) -> dict[str, pd.DataFrame]:
    """The builder's lists as data frames with ids."""
    accounts = pd.DataFrame(b.accounts)
    accounts["account_id"] = sf_ids("account", 1, len(accounts))
    accounts["del_s"] = NEVER
    accounts["owner_override"] = ""
    contacts = pd.DataFrame(b.contacts)
    contacts["contact_id"] = sf_ids("contact", 1, len(contacts))
    contacts["del_s"] = NEVER
    contacts["account_override"] = ""
    contacts["owner_override"] = ""
    opps = pd.DataFrame(b.opps)
    opps["opp_id"] = sf_ids("opportunity", 1, len(opps))
    opps["del_s"] = NEVER
    opps["account_override"] = ""
    opps["owner_override"] = ""
    opps["close_s"] = np.where(opps["close_t"] < HORIZON_END, sync_coupled(opps["close_t"]), NEVER)
    stages = pd.DataFrame(b.stages, columns=["opp", "t", "s", "old", "new"])
    stages = stages.sort_values(["t", "opp"], kind="stable").reset_index(drop=True)
    stages["history_id"] = sf_ids("opportunity_field_history", 1, len(stages))
    roles = pd.DataFrame(b.roles, columns=["opp", "contact", "role", "primary", "s"])
    roles["role_id"] = sf_ids("opportunity_contact_role", 1, len(roles))
    roles["del_s"] = NEVER
    items = pd.DataFrame(b.items, columns=["opp", "product", "quantity", "unit", "total", "s"])
    items["item_id"] = sf_ids("opportunity_line_item", 1, len(items))
    items["del_s"] = NEVER
    return {
        "accounts": accounts,
        "contacts": contacts,
        "opps": opps,
        "stages": stages,
        "roles": roles,
        "items": items,
    }


def account_first_win(opps: pd.DataFrame, n_accounts: int) -> np.ndarray:
    """Per account, the time of its first won opportunity (NEVER if none)."""
    out = np.full(n_accounts, NEVER, dtype=np.int64)
    won = opps[opps["won"] & (opps["close_t"] < HORIZON_END)]
    np.minimum.at(out, won["account"].to_numpy(), won["close_t"].to_numpy())
    return out


def build_tasks(
    cfg: SimConfig,
    leads: pd.DataFrame,
    contacts: pd.DataFrame,
    opps: pd.DataFrame,
    users: pd.DataFrame,
) -> pd.DataFrame:
    """Sales activities: SDR touches on leads, AE touches on open opportunities."""
    rng = stream(cfg.seed, "tasks")
    who, what, owner, kind, t_list = [], [], [], [], []
    types = ("Call", "Email", "Meeting")
    # SDR: first touch when the lead is worked, a few more until the outcome
    worked = np.flatnonzero(leads["work_t"].to_numpy() < NEVER)
    w_t = leads["work_t"].to_numpy()[worked]
    o_t = leads["out_t"].to_numpy()[worked]
    end = np.where(o_t < NEVER, o_t, np.minimum(w_t + 20 * DAY, HORIZON_END))
    extra = rng.poisson(1.5, len(worked)) * (end > w_t + HOUR)
    rep = np.repeat(np.arange(len(worked)), extra)
    lo = w_t[rep] + HOUR
    extra_t = lo + (rng.random(len(rep)) * (end[rep] - lo)).astype(np.int64)
    lead_rows = np.concatenate([np.arange(len(worked)), rep])
    lead_t = np.concatenate([w_t, extra_t])
    keep = lead_t < HORIZON_END
    lead_rows, lead_t = lead_rows[keep], lead_t[keep]
    l_owner = leads["owner"].to_numpy()[worked]
    lead_kinds = rng.integers(0, 2, len(lead_rows))
    who.extend(("lead", int(worked[r])) for r in lead_rows.tolist())
    what.extend([-1] * len(lead_rows))
    owner.extend(l_owner[lead_rows].tolist())
    kind.extend(types[k] for k in lead_kinds.tolist())
    t_list.extend(lead_t.tolist())
    # AE: regular activity while the opportunity is open (gaps of at most 20 days)
    o_create = opps["create_t"].to_numpy()
    o_end = np.minimum(
        np.minimum(opps["close_t"].to_numpy(), opps["dark_t"].to_numpy()), HORIZON_END
    )
    o_contact = opps["primary_contact"].to_numpy()
    o_owner = opps["owner"].to_numpy()
    for oi in range(len(opps)):
        t = int(o_create[oi]) + int(rng.integers(2 * HOUR, 3 * DAY))
        end = int(o_end[oi])
        while t < end:
            gaps = np.clip(rng.exponential(6.0, 32), 0.5, 20.0)
            times = t + np.concatenate([[0], np.cumsum((gaps * DAY).astype(np.int64))])
            inside = times[times < end]
            kinds = rng.choice(3, size=len(inside), p=[0.45, 0.35, 0.2])
            who.extend([("contact", int(o_contact[oi]))] * len(inside))
            what.extend([oi] * len(inside))
            owner.extend([int(o_owner[oi])] * len(inside))
            kind.extend(types[k] for k in kinds.tolist())
            t_list.extend(inside.tolist())
            if len(inside) < len(times):
                break
            t = int(times[-1]) + int(np.clip(rng.exponential(6.0), 0.5, 20.0) * DAY)
    # a few tasks every day keep the activity feed (and its sync) alive even at small scales
    days = np.arange(PERIOD_START // DAY, HORIZON_END // DAY)
    order = np.argsort(contacts["create_t"].to_numpy(), kind="stable")
    created = contacts["create_t"].to_numpy()[order]
    sdrs = users.index[users["is_active"] & (users["user_role"] == "SDR")].to_numpy()
    for t in business_time(rng, days).tolist():
        known = int(np.searchsorted(created, t))
        if known == 0:
            continue
        who.append(("contact", int(order[int(rng.integers(0, known))])))
        what.append(-1)
        owner.append(int(rng.choice(sdrs)))
        kind.append("Email")
        t_list.append(int(t))
    t_arr = np.array(t_list, dtype=np.int64)
    frame = pd.DataFrame(
        {
            "who_kind": [w[0] for w in who],
            "who": [w[1] for w in who],
            "what": what,
            "owner": owner,
            "type": kind,
            "t": t_arr,
            "s": sync(t_arr),
        }
    )
    frame = frame.sort_values(["t", "who"], kind="stable").reset_index(drop=True)
    subjects = {"Call": "Call", "Email": "Email", "Meeting": "Meeting"}
    frame["subject"] = [
        f"{subjects[k]} - {'follow-up' if w >= 0 else 'outreach'}"
        for k, w in zip(frame["type"], frame["what"], strict=True)
    ]
    frame["task_id"] = sf_ids("task", 1, len(frame))
    frame["del_s"] = NEVER
    return frame
