"""Ad platform statistics and web sessions (the two high-volume, append-only sources)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from simulator import reference as ref
from simulator.clock import sync
from simulator.config import DAY, HORIZON_END, HOUR, NEVER, PERIOD_START, SimConfig
from simulator.ids import hex_ids
from simulator.rng import stream
from simulator.spellings import VENDOR, spell_sessions

ADS_SYNC_DELAY = DAY + 6 * HOUR + 37  # a day's stats are synced the next morning


def month_starts() -> list[int]:
    """Start (seconds) of every month from the period start to the horizon end, plus the end."""
    out = []
    month = np.datetime64(PERIOD_START, "s").astype("datetime64[M]")
    while True:
        start = int(month.astype("datetime64[s]").astype(np.int64))
        if start >= HORIZON_END:
            break
        out.append(start)
        month = month + 1
    out.append(HORIZON_END)
    return out


def build_ads(cfg: SimConfig) -> pd.DataFrame:
    """The ads running over the period, each with its campaign, ad group and daily economics."""
    rng = stream(cfg.seed, "ads")
    n_platforms = len(ref.AD_PLATFORMS)
    n = max(n_platforms, cfg.n(cfg.ads))
    weights = np.array(ref.AD_PLATFORM_WEIGHT)
    platform = np.concatenate(
        [
            np.arange(n_platforms),
            rng.choice(n_platforms, size=n - n_platforms, p=weights / weights.sum()),
        ]
    )
    platform.sort(kind="stable")
    rows = []
    for k, p in enumerate(platform.tolist()):
        name, account, _, _, _, themes = ref.AD_PLATFORMS[p]
        theme = int(rng.integers(0, len(themes)))
        group = int(rng.integers(0, 3))
        first = PERIOD_START // DAY + (0 if rng.random() < 0.6 else int(rng.integers(0, 250)))
        rows.append(
            {
                "platform": p,
                "platform_name": name,
                "account_id": account,
                "campaign_id": str(20_000_000 + p * 100_000 + theme * 1_000),
                "campaign_name": f"{themes[theme]} | {name.replace('_', ' ').title()}",
                "ad_group_id": str(30_000_000 + p * 100_000 + theme * 1_000 + group),
                "ad_id": str(40_000_000 + k * 17),
                "first_day": first,
                "impressions": float(rng.lognormal(np.log(420), 0.6)),
                "ctr": float(rng.uniform(0.006, 0.03)),
                "cpc": ref.AD_CPC[p] * float(rng.lognormal(0.0, 0.25)),
            }
        )
    return pd.DataFrame(rows)


def ad_stats_chunk(
    cfg: SimConfig, ads: pd.DataFrame, start: int, end: int, month: int, stop_s: int
) -> pd.DataFrame:
    """One row per active ad per day for days in [start, end); rows synced after stop_s lost."""
    rng = stream(cfg.seed, "ad_stats", month)
    days = np.arange(start // DAY, end // DAY)
    n_ads = len(ads)
    ad = np.repeat(np.arange(n_ads), len(days))
    day = np.tile(days, n_ads)
    active = (day >= ads["first_day"].to_numpy()[ad]) & (rng.random(len(ad)) < 0.9)
    ad, day = ad[active], day[active]
    weekday = (day + 3) % 7
    lam = ads["impressions"].to_numpy()[ad] * np.where(weekday >= 5, 0.5, 1.0)
    impressions = rng.poisson(lam)
    clicks = rng.binomial(impressions, ads["ctr"].to_numpy()[ad])
    spend = np.round(clicks * ads["cpc"].to_numpy()[ad] * rng.lognormal(0.0, 0.2, len(ad)), 2)
    conversions = np.round(rng.binomial(clicks, 0.04) * rng.uniform(0.8, 1.0, len(ad)), 2)
    s = day * DAY + ADS_SYNC_DELAY
    keep = (s < stop_s) & (s < NEVER)
    frame = pd.DataFrame(
        {
            "day": day,
            "ad": ad,
            "clicks": clicks,
            "impressions": impressions,
            "spend": spend,
            "conversions": conversions,
            "s": s,
        }
    )[keep]
    return frame.sort_values(["day", "ad"], kind="stable").reset_index(drop=True)


# --- web sessions --------------------------------------------------------------------------
RETURNING_MIX = {
    "direct": 0.3,
    "organic_search": 0.25,
    "email": 0.25,
    "paid_search": 0.08,
    "paid_social": 0.05,
    "social": 0.05,
    "referral": 0.02,
}
ANONYMOUS_MIX = {
    "organic_search": 0.35,
    "direct": 0.25,
    "paid_search": 0.12,
    "paid_social": 0.1,
    "referral": 0.08,
    "social": 0.05,
    "display": 0.05,
}
CHANNEL_INDEX = {c.name: i for i, c in enumerate(ref.INBOUND_CHANNELS)}


def _mix(rng: np.random.Generator, mix: dict[str, float], n: int) -> np.ndarray:
    names = list(mix)
    p = np.array([mix[k] for k in names])
    idx = rng.choice(len(names), size=n, p=p / p.sum())
    return np.array([CHANNEL_INDEX[names[i]] for i in range(len(names))])[idx]


@dataclass
class SessionPlan:
    """All sessions as arrays; strings are made per month when written."""

    t: np.ndarray
    person: np.ndarray  # pid or -1
    visitor: np.ndarray  # anonymous visitor number (for anonymous sessions)
    channel: np.ndarray
    identified: np.ndarray
    form_page: np.ndarray  # form index for the identifying session, else -1
    source_override: np.ndarray
    medium_override: np.ndarray
    no_id: np.ndarray


def build_sessions(
    cfg: SimConfig,
    people: pd.DataFrame,
    inbound: pd.DataFrame,
    legacy_pids: np.ndarray,
) -> SessionPlan:
    """Sessions of known people (before and after they are identified) and anonymous visitors."""
    rng = stream(cfg.seed, "sessions_plan")
    pid = inbound["pid"].to_numpy()
    create = inbound["create_t"].to_numpy()
    channel = people.loc[pid, "channel"].to_numpy()
    mql = inbound["mql_t"].to_numpy() < NEVER
    parts_t, parts_p, parts_c, parts_i, parts_f = [], [], [], [], []
    # before identification: anonymous visits through the acquisition channel
    k = rng.poisson(0.8, len(pid))
    rep = np.repeat(np.arange(len(pid)), k)
    parts_t.append(create[rep] - 60 - rng.exponential(4 * DAY, len(rep)).astype(np.int64))
    parts_p.append(pid[rep])
    parts_c.append(channel[rep])
    parts_i.append(np.zeros(len(rep), dtype=bool))
    parts_f.append(np.full(len(rep), -1))
    # the session in which the form was submitted
    direct = rng.random(len(pid)) < 0.3
    parts_t.append(create - rng.integers(60, 900, len(pid)))
    parts_p.append(pid)
    parts_c.append(np.where(direct, CHANNEL_INDEX["direct"], channel))
    parts_i.append(np.ones(len(pid), dtype=bool))
    parts_f.append(inbound["form"].to_numpy())
    # returning visits
    k = rng.poisson(1.0 + 1.5 * mql)
    rep = np.repeat(np.arange(len(pid)), k)
    parts_t.append(create[rep] + 600 + rng.exponential(30 * DAY, len(rep)).astype(np.int64))
    parts_p.append(pid[rep])
    parts_c.append(_mix(rng, RETURNING_MIX, len(rep)))
    parts_i.append(np.ones(len(rep), dtype=bool))
    parts_f.append(np.full(len(rep), -1))
    # customers of before the period visit too
    k = rng.poisson(1.5, len(legacy_pids))
    rep = np.repeat(legacy_pids, k)
    parts_t.append(rng.integers(PERIOD_START, HORIZON_END, len(rep)))
    parts_p.append(rep)
    parts_c.append(_mix(rng, RETURNING_MIX, len(rep)))
    parts_i.append(np.ones(len(rep), dtype=bool))
    parts_f.append(np.full(len(rep), -1))
    n_known = sum(len(x) for x in parts_t)
    # anonymous visitors
    year_fraction = (HORIZON_END - PERIOD_START) / (365 * DAY)
    n_anon = cfg.n(cfg.anonymous_sessions * year_fraction, minimum=50)
    n_visitors = max(1, int(n_anon / 1.5))
    parts_t.append(rng.integers(PERIOD_START, HORIZON_END, n_anon))
    parts_p.append(np.full(n_anon, -1))
    parts_c.append(_mix(rng, ANONYMOUS_MIX, n_anon))
    parts_i.append(np.zeros(n_anon, dtype=bool))
    parts_f.append(np.full(n_anon, -1))
    t = np.concatenate(parts_t).astype(np.int64)
    visitor = np.concatenate([np.full(n_known, -1), rng.integers(0, n_visitors, n_anon)]).astype(
        np.int64
    )
    person = np.concatenate(parts_p).astype(np.int64)
    keep = (t >= PERIOD_START) & (t < HORIZON_END)
    order = np.argsort(t[keep], kind="stable")
    n = int(keep.sum())

    def pick(a: np.ndarray) -> np.ndarray:
        return a[keep][order]

    return SessionPlan(
        t=pick(t),
        person=pick(person),
        visitor=pick(visitor),
        channel=pick(np.concatenate(parts_c).astype(np.int64)),
        identified=pick(np.concatenate(parts_i)),
        form_page=pick(np.concatenate(parts_f).astype(np.int64)),
        source_override=np.full(n, "", dtype=object),
        medium_override=np.full(n, "", dtype=object),
        no_id=np.zeros(n, dtype=bool),
    )


def sessions_chunk(
    cfg: SimConfig,
    plan: SessionPlan,
    lo: int,
    hi: int,
    month: int,
    people: pd.DataFrame,
    hs_email_of_pid: dict[int, str],
    ads: pd.DataFrame,
) -> pd.DataFrame:
    """Rows of sessions plan[lo:hi] (one month) as strings, with their sync times."""
    rng = stream(cfg.seed, "sessions", month)
    n = hi - lo
    t = plan.t[lo:hi]
    person = plan.person[lo:hi]
    channel = plan.channel[lo:hi]
    ident = plan.identified[lo:hi]
    anon_people = people["anon"].to_numpy()
    person_ok = person >= 0
    anon = np.empty(n, dtype=object)
    anon[person_ok] = anon_people[person[person_ok]]
    visitors = plan.visitor[lo:hi][~person_ok].astype(object)
    anon[~person_ok] = [
        format((int(v) * 0x9E3779B97F4A7C15 + 0x5BD1E995) % (1 << 96), "024x") for v in visitors
    ]
    email = np.full(n, "", dtype=object)
    for i in np.flatnonzero(person_ok & ident):
        email[i] = hs_email_of_pid.get(int(person[i]), "")
    pages = np.array([ref.SITE + p for p in ref.LANDING_PAGES], dtype=object)
    landing = pages[rng.integers(0, len(pages), n)]
    form = plan.form_page[lo:hi]
    form_pages = np.array([ref.SITE + f[1] for f in ref.FORMS], dtype=object)
    landing[form >= 0] = form_pages[form[form >= 0]]
    src = np.full(n, "", dtype=object)
    med = np.full(n, "", dtype=object)
    camp = np.full(n, "", dtype=object)
    content = np.full(n, "", dtype=object)
    gclid = np.full(n, "", dtype=object)
    ref_url = np.full(n, "", dtype=object)
    gclids = hex_ids(rng, n, 32)
    draws = rng.random((n, 3))
    platform_ref = {
        "google": "https://www.google.com/",
        "bing": "https://www.bing.com/",
        "linkedin": "https://www.linkedin.com/",
        "facebook": "https://www.facebook.com/",
    }
    for c, ch in enumerate(ref.INBOUND_CHANNELS):
        rows = np.flatnonzero(channel == c)
        if not len(rows):
            continue
        if ch.name == "organic_search":
            ref_url[rows] = np.where(
                draws[rows, 2] < 0.85, "https://www.google.com/", "https://www.bing.com/"
            )
        elif ch.name == "referral":
            refs = np.array(ref.REFERRERS, dtype=object)
            ref_url[rows] = refs[(draws[rows, 2] * len(refs)).astype(int)]
        if not ch.utm:
            continue
        which = (draws[rows, 0] * len(ch.utm)).astype(int)
        for k, (s_, m_) in enumerate(ch.utm):
            sel = rows[which == k]
            if not len(sel):
                continue
            src[sel], med[sel] = s_, m_
            platforms = [p for p, a in enumerate(ref.AD_PLATFORMS) if (a[3], a[4]) == (s_, m_)]
            pool = ads[ads["platform"].isin(platforms)]
            if len(pool):
                pick = (draws[sel, 1] * len(pool)).astype(int)
                camp[sel] = pool["campaign_name"].to_numpy()[pick]
                content[sel] = pool["ad_id"].to_numpy()[pick]
                if s_ == "google":
                    gclid[sel] = "Cj0KCQiA" + gclids[sel]
                ref_url[sel] = platform_ref.get(s_, "")
            elif ch.name == "email":
                camp[sel] = "newsletter"
            elif ch.name == "events":
                camp[sel] = "saastr-2025" if s_ == "saastr" else "webinar-sales-marketing"
            elif ch.name == "social":
                camp[sel] = "organic-post"
                ref_url[sel] = f"https://www.{s_}.com/"
            elif ch.name == "partner":
                camp[sel] = "partner-referral"
    so = plan.source_override[lo:hi]
    mo = plan.medium_override[lo:hi]
    if cfg.profile.channel_spellings == VENDOR:  # a stream of its own: canonical rows unchanged
        spell_sessions(
            stream(cfg.seed, "spellings", "sessions", month),
            channel,
            (so != "") | (mo != ""),
            src,
            med,
            ref_url,
        )
    for i in np.flatnonzero(so != ""):
        src[i] = so[i]
    for i in np.flatnonzero(mo != ""):
        med[i] = mo[i]
    session_id = hex_ids(rng, n, 32)
    session_id[plan.no_id[lo:hi]] = ""
    return pd.DataFrame(
        {
            "session_id": session_id,
            "anonymous_id": anon,
            "email": email,
            "t": t,
            "landing_page": landing,
            "referrer": ref_url,
            "utm_source": src,
            "utm_medium": med,
            "utm_campaign": camp,
            "utm_content": content,
            "gclid": gclid,
            "s": sync(t),
            "person": person,  # the plan's person (-1: an anonymous visitor); not written
        }
    )
