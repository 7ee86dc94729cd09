"""The sales team, the companies and the people of the simulated market."""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import pandas as pd

from simulator import reference as ref
from simulator.clock import business_time, sample_days
from simulator.config import DAY, HORIZON_END, LEGACY_START, PERIOD_START, SimConfig
from simulator.ids import hex_ids, sf_ids
from simulator.rng import stream

COMPANY_DOMAIN = "revopsco.example"


def slug(text: str) -> str:
    """Lower-case letters and digits only: a name as it stands in an email or a domain."""
    return re.sub(r"[^a-z0-9]", "", text.lower())


def unique_emails(
    first: Sequence[str], last: Sequence[str], domains: str | Sequence[str]
) -> np.ndarray:
    """first.last@domain of each person (``domains``: one per person, or one for all); an
    address already given gets a number from 2 on (first.last2@domain)."""
    if isinstance(domains, str):
        domains = [domains] * len(first)
    emails = np.empty(len(first), dtype=object)
    seen: set[str] = set()
    for i, (f, la, domain) in enumerate(zip(first, last, domains, strict=True)):
        base = f"{slug(f)}.{slug(la)}"
        email, k = f"{base}@{domain}", 2
        while email in seen:
            email, k = f"{base}{k}@{domain}", k + 1
        seen.add(email)
        emails[i] = email
    return emails


def build_users(cfg: SimConfig) -> pd.DataFrame:
    """Salesforce users (and their HubSpot owners): a few inactive ones own nothing when clean."""
    rng = stream(cfg.seed, "users")
    n_ae = 4 + round(10 * cfg.scale**0.5)
    n_sdr = 3 + round(6 * cfg.scale**0.5)
    roles = (
        ["VP Sales"]
        + ["Sales Manager"] * 2
        + ["Account Executive"] * (n_ae + 2)
        + ["SDR"] * (n_sdr + 1)
        + ["Marketing Ops"]
    )
    n = len(roles)
    active = np.ones(n, dtype=bool)
    # the last two AEs and the last SDR have left the company
    ae_idx = [i for i, r in enumerate(roles) if r == "Account Executive"]
    sdr_idx = [i for i, r in enumerate(roles) if r == "SDR"]
    for i in [*ae_idx[-2:], sdr_idx[-1]]:
        active[i] = False
    first = rng.choice(ref.FIRST_NAMES, size=n)
    last = rng.choice(ref.LAST_NAMES, size=n)
    emails = unique_emails(first, last, COMPANY_DOMAIN)
    ids = sf_ids("user", 1, n)
    manager = np.empty(n, dtype=object)
    for i, r in enumerate(roles):
        if r == "VP Sales" or r == "Marketing Ops":
            manager[i] = ""
        elif r == "Sales Manager":
            manager[i] = ids[0]
        else:
            manager[i] = ids[1 + (i % 2)]
    return pd.DataFrame(
        {
            "id": ids,
            "first": first.astype(object),
            "last": last.astype(object),
            "name": np.char.add(np.char.add(first.astype(str), " "), last.astype(str)).astype(
                object
            ),
            "email": emails,
            "user_role": np.array(roles, dtype=object),
            "manager_id": manager,
            "is_active": active,
            "owner_id": 30_100_000 + np.arange(n, dtype=np.int64) * 37 + rng.integers(0, 30, n),
        }
    )


def build_companies(cfg: SimConfig) -> pd.DataFrame:
    """Companies of the market with a unique web domain each."""
    rng = stream(cfg.seed, "companies")
    n = cfg.n(cfg.companies, minimum=30)
    country_p = np.array([c[2] for c in ref.COUNTRIES])
    country = rng.choice(len(ref.COUNTRIES), size=n, p=country_p / country_p.sum())
    a = rng.integers(0, len(ref.COMPANY_WORDS_A), n)
    b = rng.integers(0, len(ref.COMPANY_WORDS_B), n)
    s = rng.integers(0, len(ref.COMPANY_SUFFIXES), n)
    names, domains, seen = [], [], set()
    for i in range(n):
        name = ref.COMPANY_WORDS_A[a[i]] + ref.COMPANY_WORDS_B[b[i]] + ref.COMPANY_SUFFIXES[s[i]]
        stem = slug(ref.COMPANY_WORDS_A[a[i]] + ref.COMPANY_WORDS_B[b[i]])
        tld = ref.COUNTRIES[country[i]][3]
        domain, k = stem + tld, 2
        if domain in seen:
            domain = slug(name) + tld
        while domain in seen:
            domain, k = f"{stem}{k}{tld}", k + 1
        if k > 2:
            name = f"{name} {k - 1}"
        seen.add(domain)
        names.append(name)
        domains.append(domain)
    employees = np.maximum(5, rng.lognormal(np.log(180), 1.3, n)).astype(np.int64)
    weight = rng.lognormal(0.0, 1.0, n)
    return pd.DataFrame(
        {
            "name": np.array(names, dtype=object),
            "domain": np.array(domains, dtype=object),
            "industry": rng.choice(ref.INDUSTRIES, size=n).astype(object),
            "employees": employees,
            "country": np.array([ref.COUNTRIES[c][0] for c in country], dtype=object),
            "currency": np.array([ref.COUNTRIES[c][1] for c in country], dtype=object),
            "weight": weight / weight.sum(),
        }
    )


def _times(rng: np.random.Generator, start: int, end: int, count: int) -> np.ndarray:
    return np.sort(business_time(rng, sample_days(rng, start, end, count)))


def build_people(cfg: SimConfig, companies: pd.DataFrame, n_crm_marketing: int) -> pd.DataFrame:
    """Every real human of the simulation, one row each, with a unique canonical email.

    kinds: inbound (first known to marketing), outbound (prospected by sales, CRM only),
    legacy (contacts of customers acquired before the period), crm_mkt (an injected marketing
    list imported into the CRM only).
    """
    rng = stream(cfg.seed, "people")
    year_fraction = (HORIZON_END - PERIOD_START) / (365 * DAY)
    n_in = cfg.n(cfg.inbound_people * year_fraction, minimum=20)
    n_out = cfg.n(cfg.outbound_leads * year_fraction, minimum=5)
    n_leg_acc = cfg.n(cfg.legacy_customers, minimum=3)
    n_cmp = len(companies)

    # legacy customers are a fixed random set of companies; their people are 1-4 per company
    legacy_companies = rng.permutation(n_cmp)[:n_leg_acc]
    per = rng.integers(1, 5, n_leg_acc)
    legacy_company = np.repeat(legacy_companies, per)
    n_leg = len(legacy_company)

    inbound_company = rng.choice(n_cmp, size=n_in, p=companies["weight"].to_numpy())
    outbound_company = rng.choice(n_cmp, size=n_out)
    crm_company = rng.choice(n_cmp, size=n_crm_marketing)

    shares = np.array([c.share for c in ref.INBOUND_CHANNELS])
    channel_in = rng.choice(len(ref.INBOUND_CHANNELS), size=n_in, p=shares / shares.sum())

    kind = np.array(
        ["inbound"] * n_in
        + ["outbound"] * n_out
        + ["legacy"] * n_leg
        + ["crm_mkt"] * n_crm_marketing,
        dtype=object,
    )
    company = np.concatenate([inbound_company, outbound_company, legacy_company, crm_company])
    channel = np.concatenate(
        [channel_in, np.full(n_out + n_leg + n_crm_marketing, -1, dtype=np.int64)]
    )
    t0 = np.concatenate(
        [
            _times(rng, PERIOD_START, HORIZON_END, n_in),
            _times(rng, PERIOD_START, HORIZON_END, n_out),
            _times(rng, LEGACY_START - 200 * DAY, LEGACY_START + 200 * DAY, n_leg),
            _times(rng, PERIOD_START, HORIZON_END, n_crm_marketing),
        ]
    )
    n = len(kind)
    first = rng.choice(ref.FIRST_NAMES, size=n).astype(object)
    last = rng.choice(ref.LAST_NAMES, size=n).astype(object)
    emails = unique_emails(first, last, companies["domain"].to_numpy()[company])
    return pd.DataFrame(
        {
            "kind": kind,
            "company": company.astype(np.int64),
            "channel": channel.astype(np.int64),
            "t0": t0.astype(np.int64),
            "first": first,
            "last": last,
            "email": emails,
            "title": rng.choice(ref.TITLES, size=n).astype(object),
            "anon": hex_ids(rng, n, 24),
        }
    )
