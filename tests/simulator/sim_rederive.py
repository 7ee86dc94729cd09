"""Independent re-derivation of the truth from the CSV files, per the definitions of docs/ and
simulator/README.md (the truth keys).

Uses only pandas, the CSV files, seeds/exchange_rates.csv and the lists in simulator/README.md
and docs/conventions.md - never
simulator internals - so a bug in the simulator's own counting shows up as a mismatch.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[2]
SIMULATOR_MD = ROOT / "simulator" / "README.md"
CONVENTIONS_MD = ROOT / "docs" / "conventions.md"
RATES_CSV = ROOT / "seeds" / "exchange_rates.csv"
DAY = 86_400
MONITORED = {
    "salesforce/account": 48,
    "salesforce/contact": 48,
    "salesforce/lead": 48,
    "salesforce/opportunity": 48,
    "salesforce/task": 48,
    "salesforce/user": 48,
    "hubspot/contact": 48,
    "hubspot/company": 48,
    "hubspot/deal": 48,
    "hubspot/email_event": 48,
    "hubspot/owner": 48,
    "web/sessions": 48,
    "ads/ad_stats": 72,
}
HS_DATES = [
    "property_createdate",
    "property_hs_lifecyclestage_lead_date",
    "property_hs_lifecyclestage_marketingqualifiedlead_date",
    "property_hs_lifecyclestage_salesqualifiedlead_date",
    "property_hs_lifecyclestage_opportunity_date",
    "property_hs_lifecyclestage_customer_date",
]


#: The columns this module reads, per table: an absent table (no file) is read as an empty
#: table with these columns (simulator/README.md, Profiles).
COLUMNS = {
    "salesforce/account": ["id", "website", "owner_id", "is_deleted", "_fivetran_synced"],
    "salesforce/lead": [
        "id",
        "email",
        "status",
        "lead_source",
        "owner_id",
        "created_date",
        "is_converted",
        "converted_date",
        "converted_contact_id",
        "converted_opportunity_id",
        "is_deleted",
        "_fivetran_synced",
    ],
    "salesforce/contact": [
        "id",
        "account_id",
        "email",
        "lead_source",
        "owner_id",
        "created_date",
        "is_deleted",
        "_fivetran_synced",
    ],
    "salesforce/opportunity": [
        "id",
        "account_id",
        "owner_id",
        "type",
        "stage_name",
        "amount",
        "currency_iso_code",
        "lead_source",
        "created_date",
        "close_date",
        "is_closed",
        "is_won",
        "is_deleted",
        "_fivetran_synced",
    ],
    "salesforce/opportunity_contact_role": [
        "id",
        "opportunity_id",
        "contact_id",
        "is_primary",
        "is_deleted",
    ],
    "salesforce/opportunity_field_history": [
        "id",
        "opportunity_id",
        "field",
        "new_value",
        "created_date",
    ],
    "salesforce/task": [
        "id",
        "who_id",
        "what_id",
        "activity_date",
        "created_date",
        "is_deleted",
        "_fivetran_synced",
    ],
    "salesforce/user": ["id", "email", "is_active", "_fivetran_synced"],
    "hubspot/contact": [
        "id",
        "property_email",
        *HS_DATES,
        "property_lifecyclestage",
        "property_hs_analytics_source",
        "property_salesforceleadid",
        "property_salesforcecontactid",
        "_fivetran_deleted",
        "_fivetran_synced",
    ],
    "hubspot/company": ["id", "property_domain", "is_deleted", "_fivetran_synced"],
    "hubspot/deal": [
        "deal_id",
        "deal_pipeline_stage_id",
        "property_amount",
        "property_closedate",
        "property_salesforceopportunityid",
        "owner_id",
        "is_deleted",
        "_fivetran_synced",
    ],
    "hubspot/deal_pipeline_stage": ["stage_id", "probability", "is_closed"],
    "hubspot/owner": ["owner_id", "email", "_fivetran_synced"],
    "hubspot/email_event": ["id", "recipient", "type", "created", "_fivetran_synced"],
    "hubspot/contact_form_submission": ["conversion_id", "contact_id", "timestamp"],
    "ads/ad_stats": ["platform", "spend", "_fivetran_synced"],
    "web/sessions": [
        "session_id",
        "anonymous_id",
        "email",
        "started_at",
        "utm_source",
        "utm_medium",
        "_fivetran_synced",
    ],
}


# --- reading ---------------------------------------------------------------------------
def load(folder: Path) -> dict[str, pd.DataFrame]:
    """The tables of the files present (an absent table has no entry)."""
    tables = {}
    for path in sorted(folder.glob("*/*.csv")):
        tables[f"{path.parent.name}/{path.stem}"] = pd.read_csv(
            path, dtype=str, keep_default_na=False
        )
    return tables


def complete(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The tables with every absent one as an empty table (zero rows, the columns read)."""
    out = dict(tables)
    for name, cols in COLUMNS.items():
        if name not in out:
            out[name] = pd.DataFrame({c: pd.Series([], dtype=object) for c in cols})
    return out


def merge_batches(folders: list[Path], keys: dict[str, list[str]]) -> dict[str, pd.DataFrame]:
    """Base + batches, latest _fivetran_synced per primary key (ad_stats appended)."""
    out: dict[str, pd.DataFrame] = {}
    for folder in folders:
        for name, frame in load(folder).items():
            out[name] = (
                frame if name not in out else pd.concat([out[name], frame], ignore_index=True)
            )
    for name, frame in out.items():
        k = keys.get(name) or []
        frame = frame.fillna("")
        if k:
            keyless = (frame[k] == "").any(axis=1)  # quarantined rows are never merged
            keyed = frame[~keyless].sort_values("_fivetran_synced", kind="stable")
            keyed = keyed.drop_duplicates(subset=k, keep="last")
            frame = pd.concat([keyed, frame[keyless]])
        out[name] = frame.reset_index(drop=True)
    return out


def rules_md_tables() -> dict[str, dict[str, str]]:
    """Picklist tables of simulator/README.md: picklist -> {value: mapping}."""
    text = SIMULATOR_MD.read_text()
    out: dict[str, dict[str, str]] = {}
    current = None
    for line in text.splitlines():
        m = re.match(r"#### (\w+) \(", line)
        if m:
            current = m.group(1)
            out[current] = {}
            continue
        if line.startswith("### ") or line.startswith("## "):
            current = None
        m = re.match(r"\| `([^`]+)` \| (\w[\w ]*) \|$", line)
        if current and m:
            out[current][m.group(1)] = m.group(2)
    return out


def rules_md_primary_keys() -> dict[str, list[str]]:
    keys = {}
    for line in CONVENTIONS_MD.read_text().splitlines():
        m = re.match(r"\| `(\w+/\w+)` \| (.+) \|$", line)
        if m:
            k = m.group(2).strip()
            keys[m.group(1)] = [] if k == "(none)" else [x.strip() for x in k.split(",")]
    return keys


# --- helpers ---------------------------------------------------------------------------
def truthy(s: pd.Series) -> pd.Series:
    return s == "true"


def picklist_key(value: str) -> str:
    """docs/channels.md, picklist_key: lower-case, runs of other characters than a-z0-9 one
    '_', trimmed."""
    return re.sub(r"[^a-z0-9]+", "_", value.strip().lower()).strip("_")


def norm(s: pd.Series) -> pd.Series:
    return s.str.strip().str.lower()


def norm_domain(s: pd.Series) -> pd.Series:
    s = s.str.strip().str.lower()
    s = s.str.replace(r"^https?://", "", regex=True).str.replace(r"^www\.", "", regex=True)
    return s.str.replace(r"/$", "", regex=True)


def secs(s: pd.Series) -> pd.Series:
    """ISO timestamp or date strings -> float seconds (NaN for empty)."""
    t = pd.to_datetime(s.replace("", None), utc=True, format="ISO8601")
    out = (t - pd.Timestamp("1970-01-01", tz="UTC")).dt.total_seconds()
    return out


def days(s: pd.Series) -> pd.Series:
    return np.floor(secs(s) / DAY)


def live(frame: pd.DataFrame, flag: str = "is_deleted") -> pd.DataFrame:
    return frame[frame[flag] == "false"]


class Rates:
    """seeds/exchange_rates.csv (USD per unit by rate_date)."""

    def __init__(self) -> None:
        r = pd.read_csv(RATES_CSV, dtype={"currency_code": str})
        r["day"] = days(r["rate_date"].astype(str))
        self.by = {c: g.sort_values("day") for c, g in r.groupby("currency_code")}

    def converter(self, t: dict[str, pd.DataFrame]) -> Converter:
        return Converter(self, t)


class Converter:
    """docs/money.md, money_conversion (reporting currency USD), over the files of one company."""

    def __init__(self, seed: Rates, t: dict[str, pd.DataFrame]) -> None:
        self.seed = seed
        types = t.get("salesforce/currency_type")
        self.corporate = (
            {}
            if types is None
            else dict(zip(types["iso_code"], types["conversion_rate"].astype(float), strict=True))
        )
        dated = t.get("salesforce/dated_conversion_rate")
        self.dated: dict[str, pd.DataFrame] = {}
        if dated is not None and len(dated):
            frame = dated.assign(
                start=days(dated["start_date"]),
                end=days(dated["next_start_date"]),  # NaN = open
                rate=dated["conversion_rate"].astype(float),
            )
            self.dated = dict(tuple(frame.groupby("iso_code")))

    def usd(self, amount: str, currency: str, day: float) -> tuple[float | None, bool]:
        """(USD amount or None, whether the seed rate was extrapolated)."""
        if amount == "":
            return None, False
        value = float(amount)
        if currency == "USD":
            return value, False
        rows = self.dated.get(currency)
        if rows is not None:
            hit = rows[(rows["start"] <= day) & (rows["end"].isna() | (day < rows["end"]))]
            if len(hit):
                return value / float(hit["rate"].iloc[0]), False
        if currency in self.corporate:
            return value / self.corporate[currency], False
        g = self.seed.by.get(currency)
        if g is None:
            return None, False
        ok = g[g["day"] <= day]
        if ok.empty:
            return value * float(g["usd_per_unit"].iloc[0]), True
        return value * float(ok["usd_per_unit"].iloc[-1]), False


def ad_spend_usd(ads: pd.DataFrame, money: Converter) -> pd.Series:
    """Each ad_stats row's spend in USD: in its currency_code where the file has that column
    (empty = USD), converted at the rate of its date_day."""
    spend = pd.to_numeric(ads["spend"])
    if "currency_code" not in ads.columns:
        return spend
    code = ads["currency_code"].replace("", "USD")
    day = days(ads["date_day"])
    factor = pd.Series(
        {(c, d): money.usd("1", c, d)[0] for c, d in set(zip(code, day, strict=True))}
    )
    return spend * factor.reindex(list(zip(code, day, strict=True))).to_numpy()


# --- truth -----------------------------------------------------------------------------
def values(s: pd.Series) -> set:
    """The distinct non-null values (an empty string is a null)."""
    return {x for x in s if x != ""}


def opportunity_types(t: dict[str, pd.DataFrame], opps: pd.DataFrame) -> pd.Series:
    """The type of each of ``opps`` (docs/conventions.md, opportunity_type): its value mapped
    through the opportunity_type tables of simulator/README.md (canonical and vendor) on
    picklist keys; a missing or unmapped one is New Business when no live opportunity of the
    same account_id (none: no history) was won before it was created, else Expansion. Won: the
    first StageName change into a won stage, else the end of the close day (UTC), never before
    creation; a missing created date is the first stage change, else the close day."""
    tables = rules_md_tables()
    mapped = {
        picklist_key(value): kind
        for name in ("opportunity_type", "opportunity_type_vendor")
        for value, kind in tables[name].items()
    }
    everyone = live(t["salesforce/opportunity"])
    hist = t["salesforce/opportunity_field_history"]
    hist = hist[hist["field"] == "StageName"]
    changed = secs(hist["created_date"])
    first_change = changed.groupby(hist["opportunity_id"]).min()
    won_stages = {k for k, v in tables["opportunity_stage"].items() if v == "won"}
    into_won = changed[hist["new_value"].isin(won_stages).to_numpy()]
    won_change = into_won.groupby(hist.loc[into_won.index, "opportunity_id"]).min()
    ids = everyone["id"]
    close_day = secs(everyone["close_date"])
    created = secs(everyone["created_date"])
    created = created.fillna(ids.map(first_change)).fillna(close_day)
    end_of_day = close_day + DAY - 1e-6
    won_at = ids.map(won_change).fillna(np.maximum(end_of_day, created))
    won = truthy(everyone["is_won"]) & (everyone["account_id"] != "")
    first_win = won_at[won].groupby(everyone.loc[won, "account_id"]).min()
    created_of = dict(zip(ids, created, strict=True))
    out = []
    for opp, value, account in zip(opps["id"], opps["type"], opps["account_id"], strict=True):
        kind = mapped.get(picklist_key(value))
        if kind is None:
            before = account != "" and first_win.get(account, np.inf) < created_of[opp]
            kind = "Expansion" if before else "New Business"
        out.append(kind)
    return pd.Series(out, index=opps.index, dtype=object)


def facts(t: dict[str, pd.DataFrame], rates: Rates) -> dict[str, object]:
    t = complete(t)
    leads, contacts = live(t["salesforce/lead"]), live(t["salesforce/contact"])
    hs = live(t["hubspot/contact"], "_fivetran_deleted")
    people = (
        values(norm(leads["email"]))
        | values(norm(contacts["email"]))
        | values(norm(hs["property_email"]))
    )
    accounts = live(t["salesforce/account"])
    companies = live(t["hubspot/company"])
    # a company is its normalised domain; a CRM account without a website is a company of its own
    no_site = accounts[norm_domain(accounts["website"]).isna() | (accounts["website"] == "")]
    domains = (
        values(norm_domain(accounts["website"]))
        | values(norm_domain(companies["property_domain"]))
        | {f"account:{i}" for i in no_site["id"]}
    )
    opps = live(t["salesforce/opportunity"])
    opps = opps.assign(kind=opportunity_types(t, opps))
    won = opps[truthy(opps["is_won"])]
    lost = opps[truthy(opps["is_closed"]) & ~truthy(opps["is_won"])]
    customers = set(won[won["kind"] == "New Business"]["account_id"]) & set(accounts["id"])
    churned = set(lost[lost["kind"] == "Renewal"]["account_id"]) & customers
    mqls = values(
        norm(
            hs[hs["property_hs_lifecyclestage_marketingqualifiedlead_date"] != ""]["property_email"]
        )
    )
    roles = live(t["salesforce/opportunity_contact_role"])
    nb_roles = roles[roles["opportunity_id"].isin(opps[opps["kind"] == "New Business"]["id"])]
    sqls = values(norm(contacts[contacts["id"].isin(nb_roles["contact_id"])]["email"]))
    money = rates.converter(t)
    revenue = 0.0
    by_type: dict[str, float] = {}
    not_convertible = extrapolated = 0
    for cur, d, amount, kind in zip(
        won["currency_iso_code"], days(won["close_date"]), won["amount"], won["kind"], strict=True
    ):
        usd, guessed = money.usd(amount, cur, d)
        if usd is None:
            not_convertible += 1
            continue
        extrapolated += int(guessed)
        revenue += usd
        by_type[kind] = by_type.get(kind, 0.0) + usd
    ads = t["ads/ad_stats"]
    spend = ad_spend_usd(ads, money).groupby(ads["platform"]).sum()
    pairs = _linked(t)
    return {
        "people": len(people),
        "accounts": len(domains),
        "crm_accounts": len(accounts),
        "hubspot_companies": len(companies),
        "customers": len(customers),
        "churned_customers": len(churned),
        "mqls": len(mqls),
        "sqls": len(sqls),
        "leads": len(leads),
        "hubspot_contacts": len(hs),
        "opportunities": len(opps),
        "opportunities_won": len(won),
        "opportunities_lost": len(lost),
        "opportunities_open": len(opps) - len(won) - len(lost),
        "won_revenue_usd": round(revenue, 2),
        "won_revenue_usd_by_type": {k: round(v, 2) for k, v in sorted(by_type.items())},
        "won_opportunities_not_convertible": not_convertible,
        "won_opportunities_rate_extrapolated": extrapolated,
        "linked_deal_pairs": len(pairs),
        "linked_deal_pairs_non_usd": int((pairs["currency_iso_code"] != "USD").sum()),
        "ad_spend_usd": round(float(spend.sum()), 2),
        "ad_spend_usd_by_platform": {k: round(float(v), 2) for k, v in spend.items()},
    }


def assert_facts_equal(truth: dict, derived: dict[str, object]) -> None:
    """Every re-derived fact equals the truth (money to within 2 cents of rounding)."""
    for key, value in derived.items():
        if isinstance(value, dict):
            assert truth[key].keys() == value.keys(), key
            for k, v in value.items():
                assert truth[key][k] == pytest.approx(v, abs=0.02), (key, k)
        elif key.endswith("_usd"):
            assert truth[key] == pytest.approx(value, abs=0.02), key
        else:
            assert truth[key] == value, key


def missing_fields(t: dict[str, pd.DataFrame]) -> dict[str, int]:
    """simulator/README.md, Profiles, missing_fields: live rows with the field empty."""
    t = complete(t)
    out = {}
    for key in (
        "salesforce/opportunity.created_date",
        "salesforce/lead.email",
        "salesforce/contact.email",
        "hubspot/contact.property_email",
    ):
        table, column = key.split(".")
        flag = "_fivetran_deleted" if table == "hubspot/contact" else "is_deleted"
        out[key] = int((live(t[table], flag)[column] == "").sum())
    return out


# --- rules -----------------------------------------------------------------------------
def _linked(t: dict[str, pd.DataFrame]) -> pd.DataFrame:
    deals = live(t["hubspot/deal"])
    opps = live(t["salesforce/opportunity"])
    return deals.merge(
        opps, left_on="property_salesforceopportunityid", right_on="id", suffixes=("_deal", "_opp")
    )


def rules(t: dict[str, pd.DataFrame], rates: Rates, as_of: float) -> dict[str, int]:
    present = set(t)
    t = complete(t)
    maps = rules_md_tables()
    out: dict[str, int] = {}
    leads, contacts = live(t["salesforce/lead"]), live(t["salesforce/contact"])
    hs = live(t["hubspot/contact"], "_fivetran_deleted")
    # SQL null semantics: an empty email equals nothing (the pools hold non-null values only)
    hs_emails = values(norm(hs["property_email"]))
    marketing = {v for v, ch in maps["lead_source"].items() if ch != "sales_outbound"}
    crm_emails = values(norm(leads["email"])) | values(norm(contacts["email"]))
    mql = hs[hs["property_hs_lifecyclestage_marketingqualifiedlead_date"] != ""]
    out["person_match"] = int(
        (~norm(leads[leads["lead_source"].isin(marketing)]["email"]).isin(hs_emails)).sum()
        + (~norm(contacts[contacts["lead_source"].isin(marketing)]["email"]).isin(hs_emails)).sum()
        + (~norm(mql["property_email"]).isin(crm_emails)).sum()
    )

    def extra(s: pd.Series) -> int:  # count(*) - count(distinct norm(email))
        return int(len(s) - len(values(norm(s))))

    out["duplicate_people"] = (
        extra(hs["property_email"])
        + extra(contacts["email"])
        + extra(leads[leads["is_converted"] == "false"]["email"])
    )

    accounts = live(t["salesforce/account"])
    opps = live(t["salesforce/opportunity"])
    won_accounts = set(opps[truthy(opps["is_won"])]["account_id"]) & set(accounts["id"])
    w_emails = values(norm(contacts[contacts["account_id"].isin(won_accounts)]["email"]))
    s_emails = values(norm(contacts["email"]))
    e = norm(hs["property_email"])
    w, s = e.isin(w_emails), e.isin(s_emails)
    stage = hs["property_lifecyclestage"]
    cust = stage == "customer"
    early = stage.isin(["subscriber", "lead", "marketingqualifiedlead"])
    out["lifecycle_agreement"] = int(((w & ~cust) | (~w & cust) | (s & ~w & early)).sum())

    pairs = _linked(t)
    stages = t["hubspot/deal_pipeline_stage"].set_index("stage_id")
    money = rates.converter(t)
    bad = 0
    for row in pairs.to_dict("records"):
        close = days(pd.Series([row["close_date"]])).iloc[0]
        usd, _ = money.usd(row["amount"], row["currency_iso_code"], close)
        amount_bad = usd is not None and abs(float(row["property_amount"]) - usd) > 0.01
        o_cls = (
            "won" if row["is_won"] == "true" else ("lost" if row["is_closed"] == "true" else "open")
        )
        d_cls = "open"
        sid = row["deal_pipeline_stage_id"]
        if sid in stages.index and stages.at[sid, "is_closed"] == "true":
            p = float(stages.at[sid, "probability"])
            d_cls = "won" if p == 1 else ("lost" if p == 0 else "open")
        dclose = days(pd.Series([row["property_closedate"]])).iloc[0]
        bad += int(amount_bad or o_cls != d_cls or abs(dclose - close) > 1)
    out["deal_opportunity_agreement"] = bad

    vals = np.stack([secs(hs[c]).to_numpy() for c in HS_DATES], axis=1)
    inv = np.zeros(len(hs), dtype=bool)
    for i in range(6):
        for j in range(i + 1, 6):
            inv |= vals[:, i] > vals[:, j]  # NaN compares False
    inv |= (vals > as_of).any(axis=1)
    lead_bad = (days(leads["converted_date"]) < days(leads["created_date"])) | (
        secs(leads["created_date"]) > as_of
    )
    opp_bad = (
        (days(opps["close_date"]) < days(opps["created_date"]))
        | (secs(opps["created_date"]) > as_of)
        | (truthy(opps["is_closed"]) & (days(opps["close_date"]) > np.floor(as_of / DAY)))
    )
    out["timeline_monotonic"] = int(inv.sum() + lead_bad.sum() + opp_bad.sum())

    acc_ids = set(accounts["id"])
    events = t["hubspot/email_event"]
    subs = t["hubspot/contact_form_submission"]
    out["orphans"] = int(
        (~opps["account_id"].isin(acc_ids)).sum()
        + (~contacts["account_id"].isin(acc_ids)).sum()
        + (~norm(events["recipient"]).isin(hs_emails)).sum()
        + (~subs["contact_id"].isin(set(hs["id"]))).sum()
    )

    keys = rules_md_primary_keys()
    empty = 0
    for name, frame in t.items():
        for k in keys.get(name, []):
            empty += int((frame[k] == "").sum())
    out["conservation"] = empty

    won = opps[truthy(opps["is_won"])]
    out["reconciliation"] = int(
        sum(
            1
            for cur, d, a in zip(
                won["currency_iso_code"], days(won["close_date"]), won["amount"], strict=True
            )
            if money.usd(a, cur, d)[0] is None
        )
    )

    stale = 0
    for name, hours in MONITORED.items():
        frame = t.get(name) if name in present else None  # absent = empty = stale
        latest = secs(frame["_fivetran_synced"]).max() if frame is not None and len(frame) else 0
        stale += int(not latest >= as_of - hours * 3600)
    out["freshness"] = stale

    users = t["salesforce/user"]
    active = set(users[truthy(users["is_active"])]["id"])
    own = sum(
        int((~live(t[f"salesforce/{n}"])["owner_id"].isin(active)).sum())
        for n in ("lead", "contact", "account", "opportunity")
    )
    owners = t["hubspot/owner"].assign(e=lambda f: norm(f["email"]))
    users = users.assign(e=lambda f: norm(f["email"]))
    p = pairs.merge(
        owners[["owner_id", "e"]], left_on="owner_id_deal", right_on="owner_id", how="left"
    ).merge(
        users[["id", "e"]], left_on="owner_id_opp", right_on="id", how="left", suffixes=("_o", "_u")
    )
    own += int((p["e_o"].isna() | p["e_u"].isna() | (p["e_o"] != p["e_u"])).sum())
    out["ownership"] = own

    sessions = t["web/sessions"]
    picklists = {
        "lead_status": set(leads["status"]),
        "lead_source": set(leads["lead_source"])
        | set(contacts["lead_source"])
        | set(opps["lead_source"]),
        "opportunity_stage": set(opps["stage_name"]),
        "opportunity_type": set(opps["type"]),
        "lifecycle_stage": set(hs["property_lifecyclestage"]),
        "analytics_source": set(hs["property_hs_analytics_source"]),
        "utm_source": set(sessions["utm_source"]),
        "utm_medium": set(sessions["utm_medium"]),
    }
    # on picklist keys, against the canonical and the vendor spelling tables
    out["mapping_coverage"] = 0
    for k, vals_ in picklists.items():
        mapped = {picklist_key(m) for m in (*maps[k], *maps.get(f"{k}_vendor", {}))}
        out["mapping_coverage"] += sum(
            1 for v in vals_ if picklist_key(v) and picklist_key(v) not in mapped
        )

    open_ = opps[opps["is_closed"] == "false"]
    hist = t["salesforce/opportunity_field_history"]
    hist = hist[hist["field"] == "StageName"]
    tasks = live(t["salesforce/task"])
    act = pd.concat(
        [
            pd.DataFrame({"id": open_["id"], "t": secs(open_["created_date"])}),
            pd.DataFrame({"id": hist["opportunity_id"], "t": secs(hist["created_date"])}),
            pd.DataFrame({"id": tasks["what_id"], "t": secs(tasks["created_date"])}),
        ]
    )
    last = act.groupby("id")["t"].max()
    quiet = open_["id"].map(last) < as_of - 30 * DAY
    past = days(open_["close_date"]) < np.floor(as_of / DAY)
    out["pipeline_hygiene"] = int((quiet | past).sum())
    return out


def future_dated(t: dict[str, pd.DataFrame], as_of: float) -> dict[str, int]:
    """simulator/README.md, Profiles, future_dates: live rows reaching past as_of."""
    t = complete(t)
    opps = live(t["salesforce/opportunity"])
    open_ = opps[opps["is_closed"] == "false"]
    hs = live(t["hubspot/contact"], "_fivetran_deleted")
    return {
        "salesforce/opportunity.close_date": int(
            (days(open_["close_date"]) > np.floor(as_of / DAY) + 365).sum()
        ),
        "hubspot/contact.property_createdate": int((secs(hs["property_createdate"]) > as_of).sum()),
    }


ISO = r"^\d{4}-\d\d-\d\d(T\d\d:\d\d:\d\dZ)?$"


def dated_columns(frame: pd.DataFrame) -> list[str]:
    """The columns whose non-empty values are all ISO dates or timestamps."""
    out = []
    for col in frame.columns:
        values = frame[col][frame[col] != ""]
        if len(values) and values.str.match(ISO).all():
            out.append(col)
    return out


# --- channels and attribution (docs/channels.md, docs/attribution.md) ----------------------
CHANNELS = (
    "paid_search",
    "paid_social",
    "display",
    "organic_search",
    "email",
    "social",
    "referral",
    "events",
    "direct",
    "partner",
    "sales_outbound",
    "other",
    "unmapped",
    "unknown",
)


def value_channels() -> dict[str, dict[str, str]]:
    """lead_source / analytics_source value -> channel, from the simulator/README.md tables
    (canonical and vendor); a value in neither is 'unmapped'."""
    tables = rules_md_tables()
    return {
        "lead_source": {**tables["lead_source"], **tables["lead_source_vendor"]},
        "analytics_source": dict(tables["analytics_source"]),
    }


class Identity:
    """The warehouse's people over the files: live leads, contacts and HubSpot contacts joined
    by normalised email, lead conversion and the integration's Salesforce ids."""

    def __init__(self, t: dict[str, pd.DataFrame]) -> None:
        t = complete(t)
        self.parent: dict[tuple[str, str], tuple[str, str]] = {}
        channels = value_channels()
        contacts, leads = live(t["salesforce/contact"]), live(t["salesforce/lead"])
        hs = live(t["hubspot/contact"], "_fivetran_deleted")
        records = [
            ("c", contacts, "email", "created_date", "lead_source", channels["lead_source"]),
            ("l", leads, "email", "created_date", "lead_source", channels["lead_source"]),
            (
                "h",
                hs,
                "property_email",
                "property_createdate",
                "property_hs_analytics_source",
                channels["analytics_source"],
            ),
        ]
        self.emails: set[str] = set()
        for kind, frame, email_col, *_ in records:
            for rid, email in zip(frame["id"], norm(frame[email_col]), strict=True):
                self._add((kind, rid))
                if email:
                    self._add(("e", email))
                    self._union((kind, rid), ("e", email))
                    self.emails.add(email)
        conv = leads[truthy(leads["is_converted"])]
        links = [
            (("l", a), ("c", b))
            for a, b in zip(conv["id"], conv["converted_contact_id"], strict=True)
        ]
        links += [
            (("h", a), ("l", b))
            for a, b in zip(hs["id"], hs["property_salesforceleadid"], strict=True)
        ]
        links += [
            (("h", a), ("c", b))
            for a, b in zip(hs["id"], hs["property_salesforcecontactid"], strict=True)
        ]
        for a, b in links:
            if b[1] and b in self.parent:
                self._union(a, b)
        first: dict[str, dict[tuple[str, str], tuple[str, str, str]]] = {}
        for kind, frame, _, created_col, value_col, mapping in records:
            for rid, created, value in zip(
                frame["id"], frame[created_col], frame[value_col], strict=True
            ):
                root = self.find((kind, rid))
                cand = (created, rid, mapping.get(value, "unmapped") if value else "")
                if root not in first.setdefault(kind, {}) or cand < first[kind][root]:
                    first[kind][root] = cand
        self.channel: dict[tuple[str, str], str] = {}
        for kind in ("l", "c", "h"):
            for root, (_, _, channel) in first.get(kind, {}).items():
                if channel:
                    self.channel[root] = channel

    def _add(self, node: tuple[str, str]) -> None:
        self.parent.setdefault(node, node)

    def find(self, node: tuple[str, str]) -> tuple[str, str]:
        while self.parent[node] != node:
            node = self.parent[node]
        return node

    def _union(self, a: tuple[str, str], b: tuple[str, str]) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)

    def person(self, kind: str, rid: str) -> tuple[str, str] | None:
        return self.find((kind, rid)) if (kind, rid) in self.parent else None

    def original_channel(self, person: tuple[str, str] | None) -> str:
        return "unknown" if person is None else self.channel.get(person, "unknown")


def opportunity_people(t: dict[str, pd.DataFrame], ident: Identity) -> dict[str, dict]:
    """opportunity id -> {person: (is_primary, via a contact role)}."""
    t = complete(t)
    out: dict[str, dict] = {}
    roles = live(t["salesforce/opportunity_contact_role"])
    primary = roles["is_primary"] if "is_primary" in roles else pd.Series("false", roles.index)
    for opp, contact, p in zip(roles["opportunity_id"], roles["contact_id"], primary, strict=True):
        person = ident.person("c", contact)
        if person is not None:
            was = out.setdefault(opp, {}).get(person, (False, True))
            out[opp][person] = (was[0] or p == "true", True)
    leads = live(t["salesforce/lead"])
    leads = leads[truthy(leads["is_converted"])]
    for lead, opp in zip(leads["id"], leads["converted_opportunity_id"], strict=True):
        person = ident.person("l", lead)
        if opp and person is not None:
            out.setdefault(opp, {}).setdefault(person, (False, False))
    return out


def by_channel(t: dict[str, pd.DataFrame], rates: Rates) -> tuple[dict, set[str]]:
    """truth["by_channel"] and the ids of truth["by_channel_excluded"], from the files."""
    t = complete(t)
    ident = Identity(t)
    out = {c: {"mqls": 0, "won_opportunities": 0, "won_revenue_usd": 0.0} for c in CHANNELS}
    hs = live(t["hubspot/contact"], "_fivetran_deleted")
    mql = hs[hs["property_hs_lifecyclestage_marketingqualifiedlead_date"] != ""]
    for email in values(norm(mql["property_email"])):
        person = ident.find(("e", email))
        out[ident.original_channel(person)]["mqls"] += 1
    own = value_channels()["lead_source"]
    opps = live(t["salesforce/opportunity"])
    won = opps[truthy(opps["is_won"])]
    of_opp = opportunity_people(t, ident)
    money = rates.converter(t)
    excluded = set()
    for row in won.to_dict("records"):
        ranked: dict[tuple[int, int], set[str]] = {}
        for person, (primary, via_role) in of_opp.get(row["id"], {}).items():
            channel = ident.original_channel(person)
            if channel != "unknown":
                ranked.setdefault((int(not primary), int(not via_role)), set()).add(channel)
        if ranked and len(ranked[min(ranked)]) > 1:
            excluded.add(row["id"])
            continue
        if ranked:
            channel = next(iter(ranked[min(ranked)]))
        elif row["lead_source"]:
            channel = own.get(row["lead_source"], "unmapped")
        else:
            channel = "unknown"
        out[channel]["won_opportunities"] += 1
        usd, _ = money.usd(
            row["amount"], row["currency_iso_code"], days(pd.Series([row["close_date"]])).iloc[0]
        )
        if usd is not None:
            out[channel]["won_revenue_usd"] += usd
    return out, excluded


def attribution(t: dict[str, pd.DataFrame], rates: Rates) -> tuple[dict, set[str]]:
    """truth["attribution_touches"] and the ids of truth["attribution_touches_excluded"], from
    the files (fct_attribution.sql in the full_funnel scope and default lookback)."""
    t = complete(t)
    ident = Identity(t)
    touches: list[tuple[tuple[str, str], float, str]] = []  # (person, seconds, timestamp)

    def by_email(email: str) -> tuple[str, str] | None:
        return ident.find(("e", email)) if email in ident.emails else None

    sessions = t["web/sessions"]
    sessions = sessions[sessions["session_id"] != ""].assign(e=lambda f: norm(f["email"]))
    identified = sessions[sessions["e"] != ""].sort_values(
        ["started_at", "session_id"], ascending=False
    )
    visitor_email = identified.drop_duplicates("anonymous_id").set_index("anonymous_id")["e"]
    for anon, email, started in zip(
        sessions["anonymous_id"], sessions["e"], sessions["started_at"], strict=True
    ):
        person = by_email(visitor_email.get(anon, "")) or (by_email(email) if email else None)
        if person is not None:
            touches.append((person, 0.0, started))
    events = t["hubspot/email_event"]
    clicks = events[events["type"].str.strip().str.upper() == "CLICK"]
    for email, when in zip(norm(clicks["recipient"]), clicks["created"], strict=True):
        person = by_email(email)
        if person is not None:
            touches.append((person, 0.0, when))
    forms = t["hubspot/contact_form_submission"]
    for contact, when in zip(forms["contact_id"], forms["timestamp"], strict=True):
        person = ident.person("h", contact)
        if person is not None:
            touches.append((person, 0.0, when))
    tasks = live(t["salesforce/task"])
    for who, created, day in zip(
        tasks["who_id"], tasks["created_date"], tasks["activity_date"], strict=True
    ):
        person = ident.person("c", who) or ident.person("l", who)
        if person is not None:
            touches.append((person, 0.0, created or f"{day}T00:00:00Z"))
    frame = pd.DataFrame(touches, columns=["person", "s", "at"])
    frame["s"] = secs(frame["at"])
    by_person = dict(tuple(frame.groupby("person", sort=False)))

    opps = live(t["salesforce/opportunity"])
    won = opps[truthy(opps["is_won"])]
    hist = t["salesforce/opportunity_field_history"]
    hist = hist[hist["field"] == "StageName"].assign(s=lambda f: secs(f["created_date"]))
    won_stages = {
        v for v, stage in rules_md_tables()["opportunity_stage"].items() if stage == "won"
    }
    roles = live(t["salesforce/opportunity_contact_role"])
    money = rates.converter(t)
    out: dict[str, dict] = {}
    excluded = set()
    for row in won.to_dict("records"):
        close = days(pd.Series([row["close_date"]])).iloc[0]
        if money.usd(row["amount"], row["currency_iso_code"], close)[0] is None:
            continue
        mine = roles[roles["opportunity_id"] == row["id"]]
        persons = {ident.person("c", c) for c in mine["contact_id"]} - {None}
        if not persons:
            excluded.add(row["id"])
            continue
        changes = hist[hist["opportunity_id"] == row["id"]]
        created = secs(pd.Series([row["created_date"]])).iloc[0]
        if np.isnan(created):
            created = changes["s"].min() if len(changes) else close * DAY
        into_won = changes[changes["new_value"].isin(won_stages)]
        into_now = changes[changes["new_value"] == row["stage_name"]]
        if len(into_won) or len(into_now):
            won_at = (into_won if len(into_won) else into_now)["s"].min()
        else:
            won_at = max((close + 1) * DAY - 1e-6, created)
        parts = [by_person[p] for p in persons if p in by_person]
        inside = pd.concat(parts) if parts else frame.iloc[:0]
        inside = inside[(inside["s"] >= created - 90 * DAY) & (inside["s"] <= won_at)]
        out[row["id"]] = {
            "touches": len(inside),
            "first_at": inside["at"].min() if len(inside) else None,
            "last_at": inside["at"].max() if len(inside) else None,
        }
    return out, excluded
