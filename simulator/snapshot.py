"""Cut the raw tables, as the connectors would have delivered them, at a moment T.

A change is visible at T when its sync time is < T; a row's _fivetran_synced is the latest
visible sync of any of its changes (including 'touches', re-syncs without a visible change).
The small and medium tables come out whole; the high-volume ones (email events, sessions, ad
stats) are produced month by month by writer.py.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from simulator import reference as ref
from simulator.clock import calendar_years
from simulator.config import DAY, NEVER
from simulator.spellings import analytics_source_channel, lead_source_channel
from simulator.world import REFERENCE_SYNC, World

FAR_FUTURE = 253_402_300_799  # 9999-12-31T23:59:59Z, the open end of a history row
SYNCED = "_fivetran_synced"


def _latest(T: int, *syncs: np.ndarray) -> np.ndarray:
    """Per row, the latest sync among the visible ones (0 if none)."""
    out = np.zeros(len(syncs[0]), dtype=np.int64)
    for s in syncs:
        s = np.asarray(s, dtype=np.int64)
        out = np.maximum(out, np.where(s < T, s, 0))
    return out


def _touched(w: World, table: str, synced: np.ndarray, T: int) -> np.ndarray:
    idx, s = w.touches.get(table, (np.array([], np.int64), np.array([], np.int64)))
    vis = s < T
    out = synced.copy()
    np.maximum.at(out, idx[vis], s[vis])
    return out


def _dated_names(w: World, names: np.ndarray, create_t: np.ndarray) -> np.ndarray:
    """Opportunity names end with their creation year: the calendar one (start_year)."""
    offset = w.cfg.profile.offset
    if not offset or not len(names):
        return names
    years = calendar_years(np.asarray(create_t, dtype=np.int64) + offset)
    return np.array([n[:-4] + y for n, y in zip(names, years, strict=True)], dtype=object)


def _owner_ids(w: World, owner: np.ndarray, override: np.ndarray) -> np.ndarray:
    ids = w.users["id"].to_numpy()[owner].astype(object)
    ov = np.asarray(override, dtype=object)
    out = np.where(ov == "", ids, ov).astype(object)
    out[ov == "<none>"] = ""
    return out


def users(w: World, T: int) -> pd.DataFrame:
    u = w.users
    synced = _touched(w, "salesforce/user", np.full(len(u), REFERENCE_SYNC, np.int64), T)
    return pd.DataFrame(
        {
            "id": u["id"],
            "name": u["name"],
            "email": u["email"],
            "user_role": u["user_role"],
            "manager_id": u["manager_id"],
            "is_active": u["is_active"],
            SYNCED: synced,
        }
    )


def owners(w: World, T: int) -> pd.DataFrame:
    u = w.users
    synced = _touched(w, "hubspot/owner", np.full(len(u), REFERENCE_SYNC, np.int64), T)
    return pd.DataFrame(
        {
            "owner_id": u["owner_id"],
            "email": u["email"],
            "first_name": u["first"],
            "last_name": u["last"],
            "is_active": u["is_active"],
            SYNCED: synced,
        }
    )


def products(w: World, T: int) -> pd.DataFrame:
    from simulator.ids import sf_id

    del w, T
    return pd.DataFrame(
        {
            "id": [sf_id("product_2", i + 1) for i in range(len(ref.PRODUCTS))],
            "name": [p[0] for p in ref.PRODUCTS],
            "family": [p[1] for p in ref.PRODUCTS],
            "is_active": [p[2] for p in ref.PRODUCTS],
            SYNCED: REFERENCE_SYNC,
        }
    )


def accounts(w: World, T: int) -> pd.DataFrame:
    a = w.accounts
    vis = a["create_s"].to_numpy() < T
    c = w.companies.loc[a["company"]]
    kind = np.where(
        a["churn_s"].to_numpy() < T,
        "Former Customer",
        np.where(a["cust_s"].to_numpy() < T, "Customer", "Prospect"),
    )
    synced = _latest(T, a["create_s"], a["cust_s"], a["churn_s"], a["del_s"])
    synced = _touched(w, "salesforce/account", synced, T)
    out = pd.DataFrame(
        {
            "id": a["account_id"].to_numpy(),
            "name": c["name"].to_numpy(),
            "website": np.where(c["domain"] == "", "", "https://www." + c["domain"]).astype(object),
            "industry": c["industry"].to_numpy(),
            "number_of_employees": c["employees"].to_numpy(),
            "billing_country": c["country"].to_numpy(),
            "type": kind.astype(object),
            "owner_id": _owner_ids(w, a["owner"].to_numpy(), a["owner_override"].to_numpy()),
            "created_date": a["create_t"].to_numpy(),
            "is_deleted": a["del_s"].to_numpy() < T,
            SYNCED: synced,
            "_company": a["company"].to_numpy(),
        }
    )
    return out[vis].reset_index(drop=True)


def _lead_source_channels(frame: pd.DataFrame) -> np.ndarray:
    """The channel of each row's canonical (plan) lead_source, whatever its written spelling."""
    return np.array([lead_source_channel(v) for v in frame["lead_source"]], dtype=object)


def _email(frame: pd.DataFrame) -> np.ndarray:
    variant = frame["email_variant"].to_numpy()
    out = np.where(variant != "", variant, frame["email"].to_numpy()).astype(object)
    out[frame["email_missing"].to_numpy()] = ""  # missing_fields: written without email
    return out


def leads(w: World, T: int) -> pd.DataFrame:
    ld = w.leads
    p = w.people.loc[ld["pid"]]
    vis = ld["create_s"].to_numpy() < T
    conv = ld["conv_s"].to_numpy() < T
    status = np.where(
        conv,
        "Qualified",
        np.where(
            ld["out_s"].to_numpy() < T,
            ld["out_status"].to_numpy(),
            np.where(ld["work_s"].to_numpy() < T, "Working - Contacted", "Open - Not Contacted"),
        ),
    ).astype(object)
    conv_day = np.where(
        ld["converted_date_override"].to_numpy() < NEVER,
        ld["converted_date_override"].to_numpy(),
        ld["conv_t"].to_numpy() // DAY,
    )
    acc_ids = w.accounts["account_id"].to_numpy()
    con_ids = w.contacts["contact_id"].to_numpy()
    opp_ids = w.opps["opp_id"].to_numpy()

    def ref_ids(col: str, ids: np.ndarray) -> np.ndarray:
        idx = ld[col].to_numpy()
        out = np.where(conv & (idx >= 0), ids[np.maximum(idx, 0)], "")
        return out.astype(object)

    synced = _latest(T, ld["create_s"], ld["work_s"], ld["out_s"], ld["conv_s"], ld["del_s"])
    synced = _touched(w, "salesforce/lead", synced, T)
    country = w.companies.loc[p["company"], "country"].to_numpy()
    region = np.where(
        np.isin(country, ["United States", "Canada"]),
        "NA",
        np.where(country == "Australia", "APAC", "EMEA"),
    ).astype(object)
    out = pd.DataFrame(
        {
            "id": ld["lead_id"].to_numpy(),
            "email": _email(ld),
            "first_name": p["first"].to_numpy(),
            "last_name": p["last"].to_numpy(),
            "company": w.companies.loc[p["company"], "name"].to_numpy(),
            "title": p["title"].to_numpy(),
            "status": status,
            "lead_source": ld["lead_source_text"].to_numpy(),
            "owner_id": _owner_ids(w, ld["owner"].to_numpy(), ld["owner_override"].to_numpy()),
            "created_date": ld["create_t"].to_numpy(),
            "is_converted": conv,
            "converted_date": np.where(conv, conv_day, NEVER),
            "converted_account_id": ref_ids("conv_account", acc_ids),
            "converted_contact_id": ref_ids("conv_contact", con_ids),
            "converted_opportunity_id": ref_ids("conv_opp", opp_ids),
            "is_deleted": ld["del_s"].to_numpy() < T,
            SYNCED: synced,
            "region__c": region,
            "_pid": ld["pid"].to_numpy(),
            "_channel": _lead_source_channels(ld),
        }
    )
    return out[vis].reset_index(drop=True)


def contacts(w: World, T: int) -> pd.DataFrame:
    c = w.contacts
    p = w.people.loc[c["pid"]]
    vis = c["create_s"].to_numpy() < T
    acc = w.accounts["account_id"].to_numpy()[c["account"].to_numpy()].astype(object)
    acc = np.where(c["account_override"].to_numpy() == "<none>", "", acc).astype(object)
    synced = _touched(w, "salesforce/contact", _latest(T, c["create_s"], c["del_s"]), T)
    out = pd.DataFrame(
        {
            "id": c["contact_id"].to_numpy(),
            "account_id": acc,
            "email": _email(c),
            "first_name": p["first"].to_numpy(),
            "last_name": p["last"].to_numpy(),
            "title": p["title"].to_numpy(),
            "lead_source": c["lead_source_text"].to_numpy(),
            "owner_id": _owner_ids(w, c["owner"].to_numpy(), c["owner_override"].to_numpy()),
            "created_date": c["create_t"].to_numpy(),
            "is_deleted": c["del_s"].to_numpy() < T,
            SYNCED: synced,
            "_pid": c["pid"].to_numpy(),
            "_channel": _lead_source_channels(c),
        }
    )
    return out[vis].reset_index(drop=True)


def _current_stage(
    n: int,
    owner_idx: np.ndarray,
    t: np.ndarray,
    s: np.ndarray,
    value: np.ndarray,
    initial: np.ndarray,
    T: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Latest visible value per entity (events sorted by time) and its sync time."""
    cur = np.asarray(initial, dtype=object).copy()
    cur_s = np.zeros(n, dtype=np.int64)
    vis = s < T
    order = np.lexsort((t[vis], owner_idx[vis]))
    o = owner_idx[vis][order]
    v = value[vis][order]
    ss = s[vis][order]
    if len(o):
        last = np.r_[o[1:] != o[:-1], True]
        cur[o[last]] = v[last]
        np.maximum.at(cur_s, o, ss)
    return cur, cur_s


def opportunities(w: World, T: int) -> pd.DataFrame:
    o = w.opps
    n = len(o)
    st = w.stages
    stage, stage_s = _current_stage(
        n,
        st["opp"].to_numpy(),
        st["t"].to_numpy(),
        st["s"].to_numpy(),
        st["new"].to_numpy(),
        o["start_stage"].to_numpy(),
        T,
    )
    info = np.array(
        [ref.OPP_STAGES.get(x, ("opportunity", 90, "Commit")) for x in stage], dtype=object
    )
    funnel = np.array([x[0] for x in info], dtype=object)
    acc = w.accounts["account_id"].to_numpy()[o["account"].to_numpy()].astype(object)
    acc = np.where(o["account_override"].to_numpy() != "", o["account_override"].to_numpy(), acc)
    synced = _latest(T, o["create_s"], stage_s, o["del_s"])
    synced = _touched(w, "salesforce/opportunity", synced, T)
    out = pd.DataFrame(
        {
            "id": o["opp_id"].to_numpy(),
            "account_id": acc.astype(object),
            "owner_id": _owner_ids(w, o["owner"].to_numpy(), o["owner_override"].to_numpy()),
            "campaign_id": "",
            "name": _dated_names(w, o["name"].to_numpy(), o["create_t"].to_numpy()),
            "type": o["type_text"].to_numpy(),
            "stage_name": stage,
            "amount": o["amount"].to_numpy(),
            "currency_iso_code": o["currency"].to_numpy(),
            "probability": np.array([x[1] for x in info], dtype=np.float64),
            "forecast_category": np.array([x[2] for x in info], dtype=object),
            "lead_source": o["lead_source_text"].to_numpy(),
            "created_date": np.where(o["created_missing"].to_numpy(), NEVER, o["create_t"]),
            "close_date": o["close_date"].to_numpy(),
            "is_closed": funnel != "opportunity",
            "is_won": funnel == "won",
            "is_deleted": o["del_s"].to_numpy() < T,
            SYNCED: synced,
            "_channel": _lead_source_channels(o),
            "_type": o["type"].to_numpy(),
        }
    )
    return out[o["create_s"].to_numpy() < T].reset_index(drop=True)


def field_history(w: World, T: int) -> pd.DataFrame:
    st = w.stages
    vis = st["s"].to_numpy() < T
    out = pd.DataFrame(
        {
            "id": st["history_id"].to_numpy(),
            "opportunity_id": w.opps["opp_id"].to_numpy()[st["opp"].to_numpy()],
            "field": "StageName",
            "old_value": st["old"].to_numpy(),
            "new_value": st["new"].to_numpy(),
            "created_date": st["t"].to_numpy(),
            SYNCED: st["s"].to_numpy(),
        }
    )
    return out[vis].reset_index(drop=True)


def opportunity_history(w: World, T: int) -> pd.DataFrame:
    """Salesforce's OpportunityHistory: a row when the opportunity was created (its starting
    stage) and one per stage change (the field history's changes, same moments); ids over the
    whole plan, so a row keeps its id from batch to batch."""
    from simulator.ids import sf_ids

    o, st = w.opps, w.stages
    opp_ids = o["opp_id"].to_numpy()
    frame = pd.DataFrame(
        {
            "opportunity_id": np.concatenate([opp_ids, opp_ids[st["opp"].to_numpy()]]),
            "stage_name": np.concatenate([o["start_stage"].to_numpy(), st["new"].to_numpy()]),
            "created_date": np.concatenate([o["create_t"].to_numpy(), st["t"].to_numpy()]),
            "is_deleted": False,
            SYNCED: np.concatenate([o["create_s"].to_numpy(), st["s"].to_numpy()]),
        }
    )
    frame.insert(0, "id", sf_ids("opportunity_history", 1, len(frame)))
    return frame[frame[SYNCED].to_numpy() < T].reset_index(drop=True)


def contact_roles(w: World, T: int) -> pd.DataFrame:
    r = w.roles
    out = pd.DataFrame(
        {
            "id": r["role_id"].to_numpy(),
            "opportunity_id": w.opps["opp_id"].to_numpy()[r["opp"].to_numpy()],
            "contact_id": w.contacts["contact_id"].to_numpy()[r["contact"].to_numpy()],
            "role": r["role"].to_numpy(),
            "is_primary": r["primary"].to_numpy(),
            "is_deleted": r["del_s"].to_numpy() < T,
            SYNCED: _latest(T, r["s"], r["del_s"]),
        }
    )
    return out[r["s"].to_numpy() < T].reset_index(drop=True)


def line_items(w: World, T: int) -> pd.DataFrame:
    from simulator.ids import sf_id

    it = w.items
    out = pd.DataFrame(
        {
            "id": it["item_id"].to_numpy(),
            "opportunity_id": w.opps["opp_id"].to_numpy()[it["opp"].to_numpy()],
            "product_2_id": [sf_id("product_2", int(p) + 1) for p in it["product"]],
            "quantity": it["quantity"].to_numpy(),
            "unit_price": it["unit"].to_numpy(),
            "total_price": it["total"].to_numpy(),
            "is_deleted": it["del_s"].to_numpy() < T,
            SYNCED: _latest(T, it["s"], it["del_s"]),
        }
    )
    return out[it["s"].to_numpy() < T].reset_index(drop=True)


def tasks(w: World, T: int) -> pd.DataFrame:
    tk = w.tasks
    who = tk["who"].to_numpy()
    is_lead = tk["who_kind"].to_numpy() == "lead"
    lead_ids = w.leads["lead_id"].to_numpy()
    con_ids = w.contacts["contact_id"].to_numpy()
    who_id = np.where(
        is_lead, lead_ids[np.where(is_lead, who, 0)], con_ids[np.where(is_lead, 0, who)]
    ).astype(object)
    what = tk["what"].to_numpy()
    what_id = np.where(what >= 0, w.opps["opp_id"].to_numpy()[np.maximum(what, 0)], "")
    out = pd.DataFrame(
        {
            "id": tk["task_id"].to_numpy(),
            "who_id": who_id,
            "what_id": what_id.astype(object),
            "owner_id": w.users["id"].to_numpy()[tk["owner"].to_numpy()],
            "type": tk["type"].to_numpy(),
            "subject": tk["subject"].to_numpy(),
            "status": "Completed",
            "activity_date": tk["t"].to_numpy() // DAY,
            "created_date": tk["t"].to_numpy(),
            "is_deleted": tk["del_s"].to_numpy() < T,
            SYNCED: _latest(T, tk["s"], tk["del_s"]),
        }
    )
    return out[tk["s"].to_numpy() < T].reset_index(drop=True)


# --- HubSpot ---------------------------------------------------------------------------
def hs_contacts(w: World, T: int) -> pd.DataFrame:
    h = w.hs
    n = len(h)
    p = w.people.loc[h["pid"]]
    deleted = h["del_s"].to_numpy() < T
    vis = (h["create_s"].to_numpy() < T) & ~(h["gone"].to_numpy() & deleted)
    dates = {}
    for stage in ("lead", "mql", "sql", "opp", "cust"):
        dates[stage] = np.where(h[f"{stage}_s"].to_numpy() < T, h[f"{stage}_t"].to_numpy(), NEVER)
    stage = h["init_stage"].to_numpy().astype(object).copy()
    for name, key in (
        ("lead", "lead"),
        ("marketingqualifiedlead", "mql"),
        ("salesqualifiedlead", "sql"),
        ("opportunity", "opp"),
        ("customer", "cust"),
    ):
        stage = np.where(dates[key] < NEVER, name, stage)
    override = h["stage_override"].to_numpy()
    stage = np.where(override != "", override, stage).astype(object)
    score = (
        h["score"].to_numpy()
        + 40 * (dates["mql"] < NEVER)
        + 10 * (dates["sql"] < NEVER)
        + 10 * (dates["opp"] < NEVER)
    ).astype(np.float64)
    lead_ids = w.leads["lead_id"].to_numpy()
    con_ids = w.contacts["contact_id"].to_numpy()
    sf_lead = h["sf_lead"].to_numpy()
    sf_con = h["sf_contact"].to_numpy()
    lead_ref = np.where(
        (sf_lead >= 0) & (h["sf_lead_s"].to_numpy() < T), lead_ids[np.maximum(sf_lead, 0)], ""
    ).astype(object)
    con_ref = np.where(
        (sf_con >= 0) & (h["sf_contact_s"].to_numpy() < T), con_ids[np.maximum(sf_con, 0)], ""
    ).astype(object)
    # survivors list the ids merged into them
    merged = np.full(n, "", dtype=object)
    merge_latest = np.zeros(n, dtype=np.int64)
    into = h["merged_into"].to_numpy()
    ms = h["merge_s"].to_numpy()
    ids = h["hs_id"].to_numpy()
    for j in np.flatnonzero((into >= 0) & (ms < T)):
        i = into[j]
        merged[i] = f"{merged[i]};{ids[j]}" if merged[i] else str(ids[j])
        merge_latest[i] = max(merge_latest[i], ms[j])
    company_of = dict(
        zip(
            w.hs_companies["company"].tolist(),
            w.hs_companies["hs_company_id"].tolist(),
            strict=True,
        )
    )
    assoc = np.array([company_of.get(int(c), -1) for c in p["company"]], dtype=np.int64)
    synced = _latest(
        T,
        h["create_s"],
        h["lead_s"],
        h["mql_s"],
        h["sql_s"],
        h["opp_s"],
        h["cust_s"],
        h["sf_lead_s"],
        h["sf_contact_s"],
        h["del_s"],
        merge_latest,
    )
    synced = _touched(w, "hubspot/contact", synced, T)
    out = pd.DataFrame(
        {
            "id": ids,
            "property_email": np.where(h["email_missing"].to_numpy(), "", h["email"]).astype(
                object
            ),
            "property_firstname": p["first"].to_numpy(),
            "property_lastname": p["last"].to_numpy(),
            "property_company": w.companies.loc[p["company"], "name"].to_numpy(),
            "property_jobtitle": p["title"].to_numpy(),
            "property_createdate": np.where(
                h["create_override"].to_numpy() < NEVER,
                h["create_override"].to_numpy(),
                h["create_t"].to_numpy(),
            ),
            "property_lifecyclestage": stage,
            "property_hs_lifecyclestage_lead_date": dates["lead"],
            "property_hs_lifecyclestage_marketingqualifiedlead_date": dates["mql"],
            "property_hs_lifecyclestage_salesqualifiedlead_date": dates["sql"],
            "property_hs_lifecyclestage_opportunity_date": dates["opp"],
            "property_hs_lifecyclestage_customer_date": dates["cust"],
            "property_hs_analytics_source": h["analytics_source"].to_numpy(),
            "property_hs_analytics_source_data_1": h["source_data_1"].to_numpy(),
            "property_hubspotscore": score,
            "property_salesforceleadid": lead_ref,
            "property_salesforcecontactid": con_ref,
            "property_hs_merged_object_ids": merged,
            "property_associatedcompanyid": assoc,
            "_fivetran_deleted": deleted,
            SYNCED: synced,
            "_pid": h["pid"].to_numpy(),
            "_channel": np.array(
                [analytics_source_channel(v) for v in h["analytics_source"]], dtype=object
            ),
        }
    )
    return out[vis].reset_index(drop=True)


def hs_companies(w: World, T: int) -> pd.DataFrame:
    c = w.hs_companies
    stage = np.where(
        c["cust_s"].to_numpy() < T,
        "customer",
        np.where(c["opp_s"].to_numpy() < T, "opportunity", "lead"),
    ).astype(object)
    synced = _latest(T, c["create_s"], c["opp_s"], c["cust_s"], c["del_s"])
    synced = _touched(w, "hubspot/company", synced, T)
    out = pd.DataFrame(
        {
            "id": c["hs_company_id"].to_numpy(),
            "property_name": c["name"].to_numpy(),
            "property_domain": c["domain"].to_numpy(),
            "property_industry": c["industry"].to_numpy(),
            "property_lifecyclestage": stage,
            "is_deleted": c["del_s"].to_numpy() < T,
            SYNCED: synced,
            "_company": c["company"].to_numpy(),
        }
    )
    return out[c["create_s"].to_numpy() < T].reset_index(drop=True)


def deals(w: World, T: int) -> pd.DataFrame:
    d = w.deals
    ds = w.deal_stages
    stage, stage_s = _current_stage(
        len(d),
        ds["deal"].to_numpy(),
        ds["t"].to_numpy(),
        ds["s"].to_numpy(),
        ds["stage"].to_numpy(),
        np.full(len(d), "appointmentscheduled", dtype=object),
        T,
    )
    opps = w.opps.loc[d["opp"]]
    owner_user = opps["owner"].to_numpy()
    ov = opps["owner_override"].to_numpy()
    by_id = dict(zip(w.users["id"].tolist(), w.users["owner_id"].tolist(), strict=True))
    owner = w.users["owner_id"].to_numpy()[owner_user].copy()
    for k in np.flatnonzero(ov != ""):
        owner[k] = by_id.get(ov[k], -1)
    own_ov = d["owner_override"].to_numpy()
    owner = np.where(own_ov >= 0, own_ov, owner)
    synced = _touched(w, "hubspot/deal", _latest(T, d["create_s"], stage_s, d["del_s"]), T)
    out = pd.DataFrame(
        {
            "deal_id": d["deal_id"].to_numpy(),
            "deal_pipeline_id": d["pipeline"].to_numpy(),
            "deal_pipeline_stage_id": stage,
            "property_dealname": _dated_names(w, d["name"].to_numpy(), opps["create_t"].to_numpy()),
            "property_amount": d["amount"].to_numpy(),
            "property_closedate": d["close_date"].to_numpy() * DAY,
            "property_createdate": d["create_t"].to_numpy(),
            "property_salesforceopportunityid": opps["opp_id"].to_numpy(),
            "owner_id": owner.astype(np.int64),
            "is_deleted": d["del_s"].to_numpy() < T,
            SYNCED: synced,
        }
    )
    return out[d["create_s"].to_numpy() < T].reset_index(drop=True)


def deal_stage_history(w: World, T: int) -> pd.DataFrame:
    ds = w.deal_stages  # sorted by deal, time
    vis = ds["s"].to_numpy() < T
    deal = ds["deal"].to_numpy()
    t = ds["t"].to_numpy()
    s = ds["s"].to_numpy()
    same_next = np.r_[deal[1:] == deal[:-1], False]
    next_vis = np.r_[vis[1:], False] & same_next
    next_t = np.r_[t[1:], 0]
    next_s = np.r_[s[1:], 0]
    out = pd.DataFrame(
        {
            "deal_id": w.deals["deal_id"].to_numpy()[deal],
            "value": ds["stage"].to_numpy(),
            "date_entered": t,
            "_fivetran_start": t,
            "_fivetran_end": np.where(next_vis, next_t, FAR_FUTURE),
            SYNCED: np.where(next_vis, next_s, s),
        }
    )
    return out[vis].reset_index(drop=True)


def pipelines(w: World, T: int) -> pd.DataFrame:
    del w, T
    return pd.DataFrame(
        {
            "pipeline_id": [p[0] for p in ref.DEAL_PIPELINES],
            "label": [p[1] for p in ref.DEAL_PIPELINES],
            "is_active": [p[2] for p in ref.DEAL_PIPELINES],
            SYNCED: REFERENCE_SYNC,
        }
    )


def pipeline_stages(w: World, T: int) -> pd.DataFrame:
    del w, T
    s = ref.DEAL_STAGES
    return pd.DataFrame(
        {
            "stage_id": [x[0] for x in s],
            "pipeline_id": [x[1] for x in s],
            "label": [x[2] for x in s],
            "probability": [x[3] for x in s],
            "is_closed": [x[4] for x in s],
            "display_order": [x[5] for x in s],
            SYNCED: REFERENCE_SYNC,
        }
    )


def _hs_id_of_pid(w: World) -> dict[int, int]:
    base = w.hs[~w.hs["is_dup"]]
    return dict(zip(base["pid"].tolist(), base["hs_id"].tolist(), strict=True))


def deal_contacts(w: World, T: int) -> pd.DataFrame:
    d = w.deals
    pids = w.contacts["pid"].to_numpy()[w.opps["primary_contact"].to_numpy()[d["opp"].to_numpy()]]
    hs_of = _hs_id_of_pid(w)
    hs_ids = np.array([hs_of.get(int(p), -1) for p in pids], dtype=np.int64)
    keep = (d["create_s"].to_numpy() < T) & (hs_ids >= 0)
    out = pd.DataFrame(
        {"deal_id": d["deal_id"].to_numpy(), "contact_id": hs_ids, SYNCED: d["create_s"].to_numpy()}
    )
    return out[keep].reset_index(drop=True)


def deal_companies(w: World, T: int) -> pd.DataFrame:
    d = w.deals
    company = w.accounts["company"].to_numpy()[w.opps["account"].to_numpy()[d["opp"].to_numpy()]]
    of = dict(
        zip(
            w.hs_companies["company"].tolist(),
            w.hs_companies["hs_company_id"].tolist(),
            strict=True,
        )
    )
    ids = np.array([of.get(int(c), -1) for c in company], dtype=np.int64)
    created = w.hs_companies.set_index("hs_company_id")["create_s"]
    comp_s = np.array([int(created.get(i, 0)) for i in ids], dtype=np.int64)
    s = np.maximum(d["create_s"].to_numpy(), comp_s)
    keep = (s < T) & (ids >= 0)
    out = pd.DataFrame({"deal_id": d["deal_id"].to_numpy(), "company_id": ids, SYNCED: s})
    return out[keep].reset_index(drop=True)


def email_campaigns(w: World, T: int) -> pd.DataFrame:
    c = w.campaigns
    s = np.maximum(c["s"].to_numpy(), REFERENCE_SYNC)
    out = pd.DataFrame(
        {
            "id": c["campaign_id"].to_numpy(),
            "name": _campaign_names(w, c),
            "subject": c["subject"].to_numpy(),
            "type": c["type"].to_numpy(),
            SYNCED: s,
        }
    )
    return out[s < T].reset_index(drop=True)


def _campaign_names(w: World, c: pd.DataFrame) -> np.ndarray:
    """Batch campaigns are named after their send week or month: the calendar one."""
    names = c["name"].to_numpy()
    offset_days = w.cfg.profile.offset_days
    if not offset_days:
        return names
    out = names.copy()
    for i, (name, day) in enumerate(zip(names, c["day"].to_numpy(), strict=True)):
        date = np.datetime64(int(day) + offset_days, "D").astype(object)
        if name.startswith("Newsletter "):
            year, week, _ = date.isocalendar()
            out[i] = f"Newsletter {year}-W{week:02d}"
        elif name.startswith(("Product update ", "Webinar invite ")):
            out[i] = f"{name[:-7]}{date:%Y-%m}"
    return out


def forms(w: World, T: int) -> pd.DataFrame:
    del T
    return pd.DataFrame(
        {"guid": w.form_guids, "name": [f[0] for f in ref.FORMS], SYNCED: REFERENCE_SYNC}
    )


def form_submissions(w: World, T: int) -> pd.DataFrame:
    f = w.forms
    out = pd.DataFrame(
        {
            "contact_id": w.hs["hs_id"].to_numpy()[f["hs"].to_numpy()],
            "conversion_id": f["conversion_id"].to_numpy(),
            "form_id": w.form_guids[f["form"].to_numpy()],
            "page_url": np.array(
                [ref.SITE + ref.FORMS[int(k)][1] for k in f["form"]], dtype=object
            ),
            "timestamp": f["t"].to_numpy(),
            SYNCED: f["s"].to_numpy(),
        }
    )
    return out[f["s"].to_numpy() < T].reset_index(drop=True)


# --- Salesforce multi-currency (only with the ``currencies`` option) ------------------------
def currency_types(w: World, T: int) -> pd.DataFrame:
    from simulator.ids import sf_ids

    c = w.fx_types
    out = pd.DataFrame(
        {
            "id": sf_ids("currency_type", 1, len(c)),
            "iso_code": c["iso_code"].to_numpy(),
            "conversion_rate": c["conversion_rate"].to_numpy(),
            "decimal_places": c["decimal_places"].to_numpy(),
            "is_active": c["is_active"].to_numpy(),
            "is_corporate": c["is_corporate"].to_numpy(),
            SYNCED: np.full(len(c), REFERENCE_SYNC, dtype=np.int64),
        }
    )
    return out[out[SYNCED].to_numpy() < T].reset_index(drop=True)


def dated_rates(w: World, T: int) -> pd.DataFrame:
    """A month's rate is entered the afternoon before it starts; entering it closes the
    previous row of its currency (next_start_date), which is then synced again."""
    from simulator.clock import sync
    from simulator.ids import sf_ids

    d = w.fx_dated  # sorted by currency, start
    start = d["start_date"].to_numpy(dtype=np.int64)
    s = np.maximum(REFERENCE_SYNC, sync(start * DAY - 15 * 3600)).astype(np.int64)
    vis = s < T
    code = d["iso_code"].to_numpy()
    same_next = np.r_[code[1:] == code[:-1], False] if len(d) else np.zeros(0, bool)
    next_vis = np.r_[vis[1:], False][: len(d)] & same_next
    next_s = np.r_[s[1:], 0][: len(d)]
    out = pd.DataFrame(
        {
            "id": sf_ids("dated_conversion_rate", 1, len(d)),
            "iso_code": code,
            "start_date": start,
            "next_start_date": np.where(next_vis, d["next_start_date"].to_numpy(), NEVER),
            "conversion_rate": d["conversion_rate"].to_numpy(),
            SYNCED: np.where(next_vis, np.maximum(s, next_s), s),
        }
    )
    return out[vis].reset_index(drop=True)


#: Whole-table snapshot functions (the chunked tables are handled by writer.py).
SNAPSHOTS = {
    "salesforce/account": accounts,
    "salesforce/lead": leads,
    "salesforce/contact": contacts,
    "salesforce/opportunity": opportunities,
    "salesforce/opportunity_contact_role": contact_roles,
    "salesforce/opportunity_field_history": field_history,
    "salesforce/opportunity_history": opportunity_history,
    "salesforce/task": tasks,
    "salesforce/user": users,
    "salesforce/product_2": products,
    "salesforce/opportunity_line_item": line_items,
    "hubspot/contact": hs_contacts,
    "hubspot/company": hs_companies,
    "hubspot/deal": deals,
    "hubspot/deal_pipeline_stage": pipeline_stages,
    "hubspot/deal_pipeline": pipelines,
    "hubspot/deal_stage": deal_stage_history,
    "hubspot/owner": owners,
    "hubspot/deal_contact": deal_contacts,
    "hubspot/deal_company": deal_companies,
    "hubspot/email_campaign": email_campaigns,
    "hubspot/form": forms,
    "hubspot/contact_form_submission": form_submissions,
    "salesforce/currency_type": currency_types,
    "salesforce/dated_conversion_rate": dated_rates,
}
