"""HubSpot side of the plan: contacts and their lifecycle, companies, deals, forms, emails."""

from __future__ import annotations

import numpy as np
import pandas as pd

from simulator import reference as ref
from simulator.clock import sync, sync1, sync_coupled
from simulator.config import AS_OF, DAY, HORIZON_END, HOUR, NEVER, PERIOD_START, SimConfig
from simulator.fx import HUBSPOT_FALLBACK_RATES, Money
from simulator.ids import uuid_like
from simulator.rng import stream

FORM_DEMO, FORM_CONTACT, FORM_EBOOK, FORM_WEBINAR, FORM_NEWSLETTER, FORM_TRIAL = range(6)


def plan_inbound(cfg: SimConfig, people: pd.DataFrame) -> pd.DataFrame:
    """Marketing funnel of inbound people: creation, subscriber/lead, MQL."""
    rng = stream(cfg.seed, "inbound")
    inbound = people[people["kind"] == "inbound"]
    n = len(inbound)
    channel = inbound["channel"].to_numpy()
    create_t = inbound["t0"].to_numpy()
    mql_rate = np.array([ref.INBOUND_CHANNELS[c].mql_rate for c in channel])
    is_mql = rng.random(n) < mql_rate
    hand = is_mql & (rng.random(n) < cfg.hand_raiser_share)
    delay = np.maximum(HOUR, rng.exponential(cfg.mql_delay_mean_days * DAY, n)).astype(np.int64)
    mql_t = np.where(hand, create_t, create_t + delay)
    mql_t = np.where(is_mql & (mql_t < HORIZON_END), mql_t, NEVER)
    subscriber = ~hand & (rng.random(n) < cfg.subscriber_share)
    events = np.array([ref.INBOUND_CHANNELS[c].name == "events" for c in channel])
    form = np.where(
        hand,
        np.where(rng.random(n) < 0.7, FORM_DEMO, FORM_CONTACT),
        np.where(
            subscriber,
            FORM_NEWSLETTER,
            np.where(events, FORM_WEBINAR, np.where(rng.random(n) < 0.7, FORM_EBOOK, FORM_TRIAL)),
        ),
    )
    return pd.DataFrame(
        {
            "pid": inbound.index.to_numpy(),
            "create_t": create_t,
            "init_stage": np.where(subscriber, "subscriber", "lead").astype(object),
            "mql_t": mql_t,
            "hand": hand,
            "form": form,
            "score": rng.integers(0, 40, n),
        }
    )


def _empty_hs(n: int) -> dict[str, np.ndarray]:
    never = np.full(n, NEVER, dtype=np.int64)
    return {
        "lead_t": never.copy(),
        "lead_s": never.copy(),
        "mql_t": never.copy(),
        "mql_s": never.copy(),
        "sql_t": never.copy(),
        "sql_s": never.copy(),
        "opp_t": never.copy(),
        "opp_s": never.copy(),
        "cust_t": never.copy(),
        "cust_s": never.copy(),
        "sf_lead": np.full(n, -1, dtype=np.int64),
        "sf_lead_s": never.copy(),
        "sf_contact": np.full(n, -1, dtype=np.int64),
        "sf_contact_s": never.copy(),
    }


def build_hs_contacts(
    cfg: SimConfig,
    people: pd.DataFrame,
    inbound: pd.DataFrame,
    legacy: pd.DataFrame,
    leads: pd.DataFrame,
    contacts: pd.DataFrame,
    first_win: np.ndarray,
    lifecycle_frozen: np.ndarray,
) -> pd.DataFrame:
    """One HubSpot contact per inbound and legacy person, lifecycle mirrored from the CRM.

    ``lifecycle_frozen`` (per lead) marks converted leads whose HubSpot lifecycle the
    integration never updated (an injected disagreement).
    """
    rng = stream(cfg.seed, "hs_contacts")
    n_in, n_leg = len(inbound), len(legacy)
    n = n_in + n_leg
    cols = _empty_hs(n)
    pid = np.concatenate([inbound["pid"].to_numpy(), legacy["pid"].to_numpy()]).astype(np.int64)
    create_t = np.concatenate([inbound["create_t"].to_numpy(), legacy["create_t"].to_numpy()])
    create_s = sync(create_t)
    init = np.concatenate([inbound["init_stage"].to_numpy(), np.full(n_leg, "lead", object)])
    # inbound: lead date at creation unless a subscriber, MQL date (coupled with the CRM lead)
    is_lead = init == "lead"
    cols["lead_t"] = np.where(is_lead, create_t, NEVER)
    cols["mql_t"][:n_in] = inbound["mql_t"].to_numpy()
    lead_of = np.full(len(people), -1, dtype=np.int64)
    lead_of[leads["pid"].to_numpy()] = np.arange(len(leads))
    l_create_s = leads["create_s"].to_numpy()
    l_out_t, l_out_s = leads["out_t"].to_numpy(), leads["out_s"].to_numpy()
    l_conv_t, l_conv_s = leads["conv_t"].to_numpy(), leads["conv_s"].to_numpy()
    l_contact = leads["conv_contact"].to_numpy()
    cols["mql_s"] = sync(cols["mql_t"])
    li = lead_of[pid[:n_in]]
    has = np.flatnonzero(li >= 0)
    lh = li[has]
    cols["mql_s"][has] = l_create_s[lh]
    cols["sf_lead"][has] = lh
    cols["sf_lead_s"][has] = l_create_s[lh]
    hand = has[cols["mql_t"][has] == create_t[has]]  # hand-raisers appear with their MQL date
    create_s[hand] = l_create_s[li[hand]]
    conv = has[(l_conv_t[lh] < NEVER) & ~lifecycle_frozen[lh]]
    lc = li[conv]
    cols["sql_t"][conv] = l_out_t[lc] + 120
    cols["sql_s"][conv] = l_out_s[lc]
    cols["opp_t"][conv] = l_conv_t[lc] + 180
    cols["opp_s"][conv] = l_conv_s[lc]
    cols["sf_contact"][conv] = l_contact[lc]
    cols["sf_contact_s"][conv] = l_conv_s[lc]
    # legacy: the primary contact went through the whole funnel in 2023/2024
    c_create = contacts["create_t"].to_numpy()
    c_account = contacts["account"].to_numpy()
    for k, row in enumerate(legacy.itertuples(index=False)):
        i = n_in + k
        cols["sf_contact"][i] = row.contact
        cols["sf_contact_s"][i] = sync1(int(c_create[row.contact]))
        if row.primary:
            span = row.opp_t - row.create_t
            cols["mql_t"][i] = row.create_t + int(span * rng.uniform(0.2, 0.8))
            cols["sql_t"][i] = row.opp_t - HOUR
            cols["opp_t"][i] = row.opp_t + 180
            for stage in ("mql", "sql", "opp"):
                cols[f"{stage}_s"][i] = sync1(int(cols[f"{stage}_t"][i]))
    cols["lead_s"] = np.where(is_lead, create_s, NEVER)
    # customer: when the contact's account first wins (or when a contact joins a customer)
    frozen_row = np.zeros(n, dtype=bool)
    frozen_row[has] = lifecycle_frozen[lh]
    rows = np.flatnonzero((cols["sf_contact"] >= 0) & ~frozen_row)
    c = cols["sf_contact"][rows]
    win = first_win[c_account[c]]
    ok = win < NEVER
    rows, c, win = rows[ok], c[ok], win[ok]
    event = np.maximum(win, c_create[c])
    cols["cust_t"][rows] = event + 300
    cols["cust_s"][rows] = sync_coupled(event)
    channel = np.concatenate(
        [
            people.loc[inbound["pid"], "channel"].to_numpy(),
            np.array(
                [[c.name for c in ref.INBOUND_CHANNELS].index(ch) for ch in legacy["channel"]],
                dtype=np.int64,
            ),
        ]
    )
    source = np.array([ref.INBOUND_CHANNELS[c].analytics_source for c in channel], dtype=object)
    data1 = np.array(
        [
            (ref.INBOUND_CHANNELS[c].utm[0][0] if ref.INBOUND_CHANNELS[c].utm else "")
            for c in channel
        ],
        dtype=object,
    )
    frame = pd.DataFrame(
        {
            "pid": pid,
            "email": people.loc[pid, "email"].to_numpy(),
            "create_t": create_t,
            "create_s": create_s,
            "init_stage": init,
            **cols,
            "analytics_source": source,
            "source_data_1": data1,
            "score": np.concatenate([inbound["score"].to_numpy(), rng.integers(20, 60, n_leg)]),
            "is_dup": False,
            "merged_into": -1,
            "merge_s": np.full(n, NEVER, dtype=np.int64),
            "gone": False,
            "del_s": np.full(n, NEVER, dtype=np.int64),
            "stage_override": "",
        }
    )
    return frame


def add_duplicates(
    frame: pd.DataFrame,
    chosen: np.ndarray,
    merged: np.ndarray,
    keep_deleted: np.ndarray,
    rng: np.random.Generator,
) -> pd.DataFrame:
    """Second HubSpot records of chosen people (list imports); some merged into the original."""
    rows = []
    for i, m, kd in zip(chosen.tolist(), merged.tolist(), keep_deleted.tolist(), strict=True):
        orig = frame.loc[i]
        start = int(orig["create_t"]) + 5 * DAY
        t = int(rng.integers(start, max(start + DAY, min(HORIZON_END, start + 200 * DAY))))
        if t >= AS_OF - DAY:
            t = int(rng.integers(int(orig["create_t"]) + HOUR, AS_OF - DAY))
        email = str(orig["email"])
        if rng.random() < 0.5:
            local, _, dom = email.partition("@")
            email = local.title() + "@" + dom
        new = {c: orig[c] for c in frame.columns}
        for k, v in _empty_hs(1).items():
            new[k] = int(v[0])
        new.update(
            {
                "email": email,
                "create_t": t,
                "create_s": int(sync(t)),
                "init_stage": "lead",
                "lead_t": t,
                "lead_s": int(sync(t)),
                "analytics_source": "OFFLINE",
                "source_data_1": "IMPORT",
                "score": int(rng.integers(0, 20)),
                "is_dup": True,
                "merged_into": -1,
                "merge_s": NEVER,
                "gone": False,
                "del_s": NEVER,
                "stage_override": "",
            }
        )
        if m:
            merge_t = t + int(rng.integers(DAY, 30 * DAY))
            new["merged_into"] = i
            new["merge_s"] = int(sync(merge_t))
            # a merge seen only in a later batch can only show as a deleted row
            new["gone"] = (not kd) and new["merge_s"] < AS_OF
            new["del_s"] = new["merge_s"]
        rows.append(new)
    if not rows:
        return frame
    return pd.concat([frame, pd.DataFrame(rows)], ignore_index=True)


def assign_hs_ids(frame: pd.DataFrame, rng: np.random.Generator) -> None:
    """Numeric HubSpot ids increasing with creation time."""
    order = np.argsort(frame["create_t"].to_numpy(), kind="stable")
    ids = np.empty(len(frame), dtype=np.int64)
    ids[order] = 1001 + np.arange(len(frame), dtype=np.int64) * 50 + rng.integers(0, 50, len(frame))
    frame["hs_id"] = ids


def build_hs_companies(
    cfg: SimConfig,
    hs: pd.DataFrame,
    people: pd.DataFrame,
    companies: pd.DataFrame,
    accounts: pd.DataFrame,
    opps: pd.DataFrame,
    first_win: np.ndarray,
) -> pd.DataFrame:
    """One HubSpot company per company with a marketing contact."""
    rng = stream(cfg.seed, "hs_companies")
    base = hs[~hs["is_dup"]]
    comp = people.loc[base["pid"], "company"].to_numpy()
    frame = pd.DataFrame(
        {
            "company": comp,
            "create_t": base["create_t"].to_numpy(),
            "create_s": base["create_s"].to_numpy(),
        }
    )
    frame = frame.groupby("company", sort=True).min().reset_index()
    acc_of = dict(zip(accounts["company"].tolist(), accounts.index.tolist(), strict=True))
    first_opp = opps.groupby("account")["create_t"].min()
    opp_s, cust_s = [], []
    for company, created in zip(frame["company"], frame["create_t"], strict=True):
        a = acc_of.get(int(company))
        if a is None or a not in first_opp.index:
            opp_s.append(NEVER)
        else:
            opp_s.append(int(sync_coupled(max(int(first_opp[a]), int(created)))))
        win = NEVER if a is None else int(first_win[a])
        cust_s.append(NEVER if win >= NEVER else int(sync_coupled(max(win, int(created)))))
    frame["opp_s"] = np.array(opp_s, dtype=np.int64)
    frame["cust_s"] = np.array(cust_s, dtype=np.int64)
    frame["name"] = companies.loc[frame["company"], "name"].to_numpy()
    frame["domain"] = companies.loc[frame["company"], "domain"].to_numpy()
    frame["industry"] = companies.loc[frame["company"], "industry"].to_numpy()
    order = np.argsort(frame["create_t"].to_numpy(), kind="stable")
    ids = np.empty(len(frame), dtype=np.int64)
    ids[order] = (
        5_100_000_000 + np.arange(len(frame), dtype=np.int64) * 97 + rng.integers(0, 90, len(frame))
    )
    frame["hs_company_id"] = ids
    frame["del_s"] = NEVER
    return frame


def build_deals(
    cfg: SimConfig,
    opps: pd.DataFrame,
    stages: pd.DataFrame,
    money: Money,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """HubSpot deals mirrored from opportunities by the integration (amount in USD, converted
    with the rule of docs/money.md, rounded to cents)."""
    rng = stream(cfg.seed, "deals")
    has_deal = rng.random(len(opps)) < cfg.deal_sync_share
    sel = opps[has_deal]
    amounts = []
    for row in sel.itertuples(index=False):
        usd, _ = money.to_usd(float(row.amount), row.currency, int(row.close_date))
        if usd is None:  # HubSpot applies its own rate to a currency nobody else converts
            usd = float(row.amount) * HUBSPOT_FALLBACK_RATES.get(row.currency, 1.0)
        amounts.append(round(usd, 2))
    deals = pd.DataFrame(
        {
            "opp": sel.index.to_numpy(),
            "create_t": sel["create_t"].to_numpy() + rng.integers(60, 540, len(sel)),
            "create_s": sel["create_s"].to_numpy(),
            "amount": np.array(amounts, dtype=np.float64),
            "close_date": sel["close_date"].to_numpy(),
            "name": sel["name"].to_numpy(),
        }
    ).reset_index(drop=True)
    deals["deal_id"] = (
        9_800_000_000
        + np.arange(len(deals), dtype=np.int64) * 211
        + rng.integers(0, 200, len(deals))
    )
    deals["del_s"] = NEVER
    deals["owner_override"] = -1
    deals["pipeline"] = "default"
    deal_of_opp = dict(zip(deals["opp"].tolist(), deals.index.tolist(), strict=True))
    rows = []
    for d, row in zip(deals.index, deals.itertuples(index=False), strict=True):
        start = opps.at[row.opp, "start_stage"]
        rows.append((d, int(row.create_t), int(row.create_s), ref.SF_STAGE_TO_DEAL_STAGE[start]))
    mirrored = stages[stages["opp"].isin(deal_of_opp)]
    delays = rng.integers(30, 300, len(mirrored))
    for (opp, t, s, new), dl in zip(
        mirrored[["opp", "t", "s", "new"]].itertuples(index=False), delays, strict=True
    ):
        rows.append((deal_of_opp[opp], int(t) + int(dl), int(s), ref.SF_STAGE_TO_DEAL_STAGE[new]))
    deal_stages = pd.DataFrame(rows, columns=["deal", "t", "s", "stage"])
    deal_stages = deal_stages.sort_values(["deal", "t"], kind="stable").reset_index(drop=True)
    return deals, deal_stages


def build_forms(cfg: SimConfig, hs: pd.DataFrame, inbound: pd.DataFrame) -> pd.DataFrame:
    """Form submissions: the one that created each inbound contact, plus content downloads."""
    rng = stream(cfg.seed, "forms")
    base = hs[~hs["is_dup"]]
    form_of = np.full(int(max(hs["pid"].max(), inbound["pid"].max())) + 1, -1, dtype=np.int64)
    form_of[inbound["pid"].to_numpy()] = inbound["form"].to_numpy()
    rows = base.index.to_numpy()
    forms = form_of[base["pid"].to_numpy()]
    rows, forms = rows[forms >= 0], forms[forms >= 0]
    create_t = hs["create_t"].to_numpy()[rows]
    create_s = hs["create_s"].to_numpy()[rows]
    k = rng.poisson(0.4, len(rows))
    rep = np.repeat(np.arange(len(rows)), k)
    t = create_t[rep] + rng.exponential(40 * DAY, len(rep)).astype(np.int64) + HOUR
    extra_form = rng.choice([FORM_EBOOK, FORM_WEBINAR, FORM_TRIAL], size=len(rep))
    keep = t < HORIZON_END
    frame = pd.DataFrame(
        {
            "hs": np.concatenate([rows, rows[rep][keep]]),
            "form": np.concatenate([forms, extra_form[keep]]),
            "t": np.concatenate([create_t, t[keep]]),
            "s": np.concatenate([create_s, sync(t[keep])]),
        }
    )
    frame = frame.sort_values(["t", "hs"], kind="stable").reset_index(drop=True)
    frame["conversion_id"] = uuid_like(rng, len(frame))
    return frame


def form_guids(seed: int) -> np.ndarray:
    return uuid_like(stream(seed, "form_guids"), len(ref.FORMS))


def build_campaigns(cfg: SimConfig) -> pd.DataFrame:
    """Email campaigns: weekly newsletter, monthly product update and webinar invite, nurtures."""
    rng = stream(cfg.seed, "campaigns")
    rows = []
    first = PERIOD_START // DAY
    last = HORIZON_END // DAY
    for day in range(first, last):
        weekday = (day + 3) % 7
        date = np.datetime64(day, "D").astype(object)
        if weekday == 1:
            iso_week = date.isocalendar()
            rows.append(
                (
                    f"Newsletter {iso_week[0]}-W{iso_week[1]:02d}",
                    "This week in revenue operations",
                    "BATCH",
                    day,
                )
            )
        if date.day <= 7 and weekday == 3:
            rows.append(
                (f"Product update {date:%Y-%m}", "What's new in the platform", "BATCH", day)
            )
        if 15 <= date.day <= 21 and weekday == 2:
            rows.append(
                (
                    f"Webinar invite {date:%Y-%m}",
                    "Join us: aligning sales and marketing",
                    "BATCH",
                    day,
                )
            )
    frame = pd.DataFrame(rows, columns=["name", "subject", "type", "day"])
    frame["send_t"] = frame["day"].to_numpy() * DAY + 14 * HOUR + rng.integers(0, HOUR, len(frame))
    nurture = pd.DataFrame(
        {
            "name": ["Welcome nurture", "Nurture - revenue analytics"],
            "subject": ["Welcome aboard", "Three ways to align your funnel"],
            "type": ["AUTOMATED", "AUTOMATED"],
            "day": [first, first],
            "send_t": [PERIOD_START - 30 * DAY, PERIOD_START - 30 * DAY],
        }
    )
    frame = pd.concat([nurture, frame], ignore_index=True)
    frame["campaign_id"] = 210_000_000 + np.arange(len(frame), dtype=np.int64) * 1_013
    frame["s"] = sync(frame["send_t"].to_numpy())
    return frame


def email_recipients_plan(
    cfg: SimConfig, hs: pd.DataFrame, campaigns: pd.DataFrame
) -> pd.DataFrame:
    """Per HubSpot contact: from when it may receive email and until when (unsubscribe)."""
    rng = stream(cfg.seed, "unsubscribe")
    n = len(hs)
    unsub = np.full(n, NEVER, dtype=np.int64)
    batch = campaigns[campaigns["type"] == "BATCH"]["send_t"].to_numpy()
    leaves = rng.random(n) < 0.05
    for i in np.flatnonzero(leaves):
        after = batch[batch > hs["create_s"].iat[i]]
        if len(after):
            unsub[i] = int(after[int(rng.integers(0, len(after)))]) + int(
                rng.integers(HOUR, 48 * HOUR)
            )
    return pd.DataFrame({"unsub_t": unsub})
