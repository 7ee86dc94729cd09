"""Accounts sharing one email domain: the sellers of a marketplace (shared_domain_accounts).

Every seller is its own Salesforce account (a distinct name, half of them without a website,
the others with their own shop domain), with 1-2 contacts whose emails are all
``<local>@sellers.<marketplace>.com``; about a quarter signed a won New Business opportunity
in the period. Their people also are HubSpot contacts (synced from the CRM). The sellers are
added to the finished plan with their own random stream, so the rest of the company is the
same with or without them - except the email events, which are drawn over every HubSpot
contact (sellers get newsletters too).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from simulator import reference as ref
from simulator.clock import business_time, calendar_years, sample_days, sync, sync_coupled
from simulator.config import AS_OF, DAY, HOUR, NEVER, PERIOD_START
from simulator.ids import hex_ids, sf_ids
from simulator.people import slug, unique_emails
from simulator.rng import stream
from simulator.world import World

MARKETPLACES = ("tradeloop", "stallhub", "bazaarly", "shopverse", "marketnest", "crafthive")
SELLER_KINDS = ("Shop", "Store", "Goods", "Crafts", "Supply", "Outlet", "Boutique", "Studio")
#: A seller's lead source: the marketplace partnership brought them.
SELLER_SOURCE = "Partner"


def _append(frame: pd.DataFrame, rows: dict[str, object]) -> pd.DataFrame:
    """``frame`` with new rows, given for every one of its columns."""
    new = pd.DataFrame(rows)
    if set(new.columns) != set(frame.columns):
        raise AssertionError(f"seller rows: columns {set(new.columns) ^ set(frame.columns)}")
    out = pd.concat([frame, new[list(frame.columns)]], ignore_index=True)
    return out.astype(frame.dtypes.to_dict())


def add_marketplace(w: World) -> None:
    """Append ``w.cfg.profile.shared_domain_accounts`` sellers to the plan (in place)."""
    n = w.cfg.profile.shared_domain_accounts
    rng = stream(w.cfg.seed, "shared_domain_accounts")
    brand = MARKETPLACES[int(rng.integers(0, len(MARKETPLACES)))]
    domain = f"sellers.{brand}.com"
    w.marketplace = {"domain": domain, "account_ids": []}
    if not n:
        return
    # companies: distinct names; half have their own shop website, the others none
    taken_names = set(w.companies["name"].tolist())
    taken_domains = set(w.companies["domain"].tolist())
    names, domains = [], []
    for _ in range(n):
        a = ref.COMPANY_WORDS_A[int(rng.integers(0, len(ref.COMPANY_WORDS_A)))]
        b = ref.COMPANY_WORDS_B[int(rng.integers(0, len(ref.COMPANY_WORDS_B)))]
        kind = SELLER_KINDS[int(rng.integers(0, len(SELLER_KINDS)))]
        name, k = f"{a}{b} {kind}", 2
        while name in taken_names:
            name, k = f"{a}{b} {kind} {k}", k + 1
        taken_names.add(name)
        site = ""
        if rng.random() < 0.5:
            site, k = f"{slug(name)}.shop", 2
            while site in taken_domains:
                site, k = f"{slug(name)}{k}.shop", k + 1
            taken_domains.add(site)
        names.append(name)
        domains.append(site)
    first_company = len(w.companies)
    w.companies = _append(
        w.companies,
        {
            "name": np.array(names, dtype=object),
            "domain": np.array(domains, dtype=object),
            "industry": np.full(n, "Retail", dtype=object),
            "employees": rng.integers(2, 40, n),
            "country": np.full(n, "United States", dtype=object),
            "currency": np.full(n, "USD", dtype=object),
            "weight": np.zeros(n),
        },
    )
    company = first_company + np.arange(n)

    # accounts, created during the period
    aes = w.users.index[
        (w.users["user_role"] == "Account Executive") & w.users["is_active"]
    ].to_numpy()
    acc_t = np.sort(business_time(rng, sample_days(rng, PERIOD_START, AS_OF - 2 * DAY, n)))
    owner = rng.choice(aes, size=n)
    first_account = len(w.accounts)
    account = first_account + np.arange(n)

    # contacts: 1-2 per seller, emails on the shared domain
    per = rng.integers(1, 3, n)
    c_account = np.repeat(account, per)
    c_company = np.repeat(company, per)
    c_t = np.repeat(acc_t, per)
    later = np.r_[False, c_account[1:] == c_account[:-1]]
    c_t = np.where(later, c_t + rng.integers(HOUR, 10 * DAY, len(c_t)), c_t)
    c_t = np.minimum(c_t, AS_OF - 2 * HOUR)
    m = len(c_account)
    first = rng.choice(ref.FIRST_NAMES, size=m).astype(object)
    last = rng.choice(ref.LAST_NAMES, size=m).astype(object)
    emails = unique_emails(first, last, domain)
    first_pid = len(w.people)
    w.people = _append(
        w.people,
        {
            "kind": np.full(m, "seller", dtype=object),
            "company": c_company.astype(np.int64),
            "channel": np.full(m, -1, dtype=np.int64),
            "t0": c_t.astype(np.int64),
            "first": first,
            "last": last,
            "email": np.array(emails, dtype=object),
            "title": rng.choice(ref.TITLES, size=m).astype(object),
            "anon": hex_ids(rng, m, 24),
        },
    )
    pid = first_pid + np.arange(m)
    first_contact = len(w.contacts)
    contact = first_contact + np.arange(m)
    c_s = sync(c_t)
    w.contacts = _append(
        w.contacts,
        {
            "pid": pid,
            "account": c_account,
            "create_t": c_t,
            "create_s": c_s,
            "lead_source": np.full(m, SELLER_SOURCE, dtype=object),
            "owner": owner[c_account - first_account],
            "contact_id": sf_ids("contact", first_contact + 1, m),
            "del_s": np.full(m, NEVER, dtype=np.int64),
            "account_override": "",
            "owner_override": "",
            "email": np.array(emails, dtype=object),
            "email_variant": "",
            "email_missing": False,
        },
    )
    primary = np.r_[True, c_account[1:] != c_account[:-1]]
    primary_contact = dict(zip(c_account[primary].tolist(), contact[primary].tolist(), strict=True))

    # about a quarter signed a won New Business deal in the period (created 60+ days before
    # as_of so that it closed before it)
    eligible = np.flatnonzero(acc_t < AS_OF - 60 * DAY)
    k = min(len(eligible), int(n / 4 + 0.5))
    won = np.sort(rng.choice(eligible, size=k, replace=False))
    o_create = acc_t[won] + rng.integers(DAY, 7 * DAY, k)
    o_close = business_time(rng, (o_create + rng.integers(7 * DAY, 45 * DAY, k)) // DAY)
    amount = np.maximum(
        500.0,
        np.round(w.cfg.deal_size_median_usd * 0.3 * rng.lognormal(0.0, 0.5, k) / 50.0) * 50.0,
    )
    first_opp = len(w.opps)
    opp = first_opp + np.arange(k)
    years = calendar_years(o_create)
    o_s = sync_coupled(o_create)
    c_s_close = sync_coupled(o_close)
    w.opps = _append(
        w.opps,
        {
            "account": account[won],
            "owner": owner[won],
            "name": np.array(
                [f"{names[i]} - New Business {y}" for i, y in zip(won, years, strict=True)],
                dtype=object,
            ),
            "type": "New Business",
            "amount": amount,
            "currency": "USD",
            "lead_source": SELLER_SOURCE,
            "create_t": o_create,
            "create_s": o_s,
            "close_t": o_close,
            "close_date": o_close // DAY,
            "won": True,
            "start_stage": ref.OPEN_STAGES[0],
            "primary_contact": np.array([primary_contact[int(a)] for a in account[won]]),
            "dark_t": NEVER,
            "opp_id": sf_ids("opportunity", first_opp + 1, k),
            "del_s": NEVER,
            "account_override": "",
            "owner_override": "",
            "close_s": c_s_close,
            "future": False,
            "created_missing": False,
        },
    )
    # stage history: through every open stage to Closed Won
    path = [*ref.OPEN_STAGES, "Closed Won"]
    st_opp, st_t, st_old, st_new = [], [], [], []
    for j in range(k):
        steps = np.sort(rng.integers(o_create[j] + HOUR, o_close[j] - HOUR, len(path) - 2))
        times = [*steps.tolist(), int(o_close[j])]
        for t, old, new in zip(times, path[:-1], path[1:], strict=True):
            st_opp.append(int(opp[j]))
            st_t.append(int(t))
            st_old.append(old)
            st_new.append(new)
    st_t_arr = np.array(st_t, dtype=np.int64)
    w.stages = _append(
        w.stages,
        {
            "opp": np.array(st_opp, dtype=np.int64),
            "t": st_t_arr,
            "s": sync_coupled(st_t_arr),
            "old": np.array(st_old, dtype=object),
            "new": np.array(st_new, dtype=object),
            "history_id": sf_ids("opportunity_field_history", len(w.stages) + 1, len(st_t)),
        },
    )
    roles_contact = np.array([primary_contact[int(a)] for a in account[won]], dtype=np.int64)
    w.roles = _append(
        w.roles,
        {
            "opp": opp,
            "contact": roles_contact,
            "role": "Decision Maker",
            "primary": True,
            "s": o_s,
            "role_id": sf_ids("opportunity_contact_role", len(w.roles) + 1, k),
            "del_s": NEVER,
        },
    )
    w.items = _append(
        w.items,
        {
            "opp": opp,
            "product": 0,
            "quantity": 1.0,
            "unit": amount,
            "total": amount,
            "s": o_s,
            "item_id": sf_ids("opportunity_line_item", len(w.items) + 1, k),
            "del_s": NEVER,
        },
    )
    # accounts (customers from their win on)
    cust_s = np.full(n, NEVER, dtype=np.int64)
    cust_s[won] = sync(o_close + 600)
    w.accounts = _append(
        w.accounts,
        {
            "company": company,
            "owner": owner,
            "create_t": acc_t,
            "create_s": sync(acc_t),
            "account_id": sf_ids("account", first_account + 1, n),
            "del_s": NEVER,
            "owner_override": "",
            "cust_s": cust_s,
            "churn_s": NEVER,
        },
    )
    w.marketplace["account_ids"] = w.accounts["account_id"].to_numpy()[account].tolist()

    # HubSpot contacts synced from the CRM: sales-qualified, customers once their seller won
    win_of = np.full(n, NEVER, dtype=np.int64)
    win_of[won] = o_close
    h_t = c_t + 600
    h_s = sync_coupled(c_t)
    win = win_of[c_account - first_account]
    cust_t = np.where(win < NEVER, np.maximum(win, h_t) + 300, NEVER)
    never = np.full(m, NEVER, dtype=np.int64)
    next_id = int(w.hs["hs_id"].max()) + 1000
    w.hs = _append(
        w.hs,
        {
            "pid": pid,
            "email": np.array(emails, dtype=object),
            "create_t": h_t,
            "create_s": h_s,
            "init_stage": "lead",
            "lead_t": h_t,
            "lead_s": h_s,
            "mql_t": never,
            "mql_s": never,
            "sql_t": h_t,
            "sql_s": h_s,
            "opp_t": never,
            "opp_s": never,
            "cust_t": cust_t,
            "cust_s": np.where(cust_t < NEVER, sync_coupled(np.maximum(win, h_t)), NEVER),
            "sf_lead": -1,
            "sf_lead_s": never,
            "sf_contact": contact,
            "sf_contact_s": h_s,
            "analytics_source": "OFFLINE",
            "source_data_1": "INTEGRATION",
            "score": rng.integers(10, 40, m),
            "is_dup": False,
            "merged_into": -1,
            "merge_s": never,
            "gone": False,
            "del_s": never,
            "stage_override": "",
            "hs_id": next_id + np.arange(m, dtype=np.int64) * 50 + rng.integers(0, 50, m),
            "create_override": never,
            "email_missing": False,
        },
    )
    w.unsub = np.concatenate([w.unsub, never])  # sellers never unsubscribe
