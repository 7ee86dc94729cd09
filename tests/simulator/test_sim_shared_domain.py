"""A marketplace: many Salesforce accounts whose contacts share one email domain."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import sim_rederive as rd
from sim_companies import Companies

from simulator import generate

SCALE = 0.02
SEED = 3
N = 500
BASE_AS_OF = rd.secs(pd.Series(["2026-01-01T00:00:00Z"])).iloc[0]
FREE_MAIL = {"gmail.com", "yahoo.com", "outlook.com", "hotmail.com", "icloud.com", "aol.com"}


@pytest.fixture(scope="module")
def pair(simulate: Companies) -> tuple[tuple[Path, dict], tuple[Path, dict]]:
    return (
        simulate("no_marketplace", scale=SCALE, seed=SEED),
        simulate("marketplace", scale=SCALE, seed=SEED, shared_domain_accounts=N),
    )


def test_sellers_share_one_domain(pair, rates: rd.Rates):
    (base_dir, base), (folder, truth) = pair
    t, t0 = rd.load(folder), rd.load(base_dir)
    accounts, accounts0 = rd.live(t["salesforce/account"]), rd.live(t0["salesforce/account"])
    assert len(accounts) == len(accounts0) + N
    assert truth["crm_accounts"] == base["crm_accounts"] + N
    sellers = accounts[~accounts["id"].isin(accounts0["id"])]
    assert sellers["name"].is_unique and not sellers["name"].isin(accounts0["name"]).any()
    sites = sellers["website"][sellers["website"] != ""]
    assert sites.is_unique and 0.3 * N <= len(sites) <= 0.7 * N
    assert not rd.norm_domain(sites).isin(rd.norm_domain(accounts0["website"])).any()
    contacts = rd.live(t["salesforce/contact"])
    theirs = contacts[contacts["account_id"].isin(sellers["id"])]
    per = theirs.groupby("account_id").size()
    assert len(per) == N and per.between(1, 2).all()
    domains = set(theirs["email"].str.split("@").str[1])
    assert len(domains) == 1
    domain = domains.pop()
    assert domain.startswith("sellers.") and domain.endswith(".com") and domain not in FREE_MAIL
    assert truth["shared_domain"]["domain"] == domain
    assert truth["shared_domain"]["accounts"] == N
    assert (
        not contacts[~contacts["account_id"].isin(sellers["id"])]["email"]
        .str.endswith("@" + domain)
        .any()
    )
    hs = rd.live(t["hubspot/contact"], "_fivetran_deleted")
    assert set(theirs["email"]) <= set(hs["property_email"])
    # about a quarter are customers: a won New Business deal closed in the period, with a role
    opps = rd.live(t["salesforce/opportunity"])
    won = opps[rd.truthy(opps["is_won"]) & (opps["type"] == "New Business")]
    won = won[won["account_id"].isin(sellers["id"])]
    assert won["close_date"].between(truth["period"]["start"], truth["period"]["end"]).all()
    roles = rd.live(t["salesforce/opportunity_contact_role"])
    assert won["id"].isin(roles["opportunity_id"]).all()
    customers = won["account_id"].nunique()
    assert truth["shared_domain"]["customers"] == customers
    assert 0.2 * N <= customers <= 0.3 * N
    assert truth["customers"] == base["customers"] + customers
    # the truth re-derives from the files
    rd.assert_facts_equal(truth, rd.facts(t, rates))
    assert rd.rules(t, rates, BASE_AS_OF) == truth["inconsistencies"]
    assert base["shared_domain"] == {"domain": None, "accounts": 0, "customers": 0}


def test_a_clean_marketplace_stays_clean(tmp_path: Path, rates: rd.Rates):
    truth = generate(
        tmp_path, scale=SCALE, seed=SEED, shared_domain_accounts=40, inconsistency_rate=0
    )
    assert all(n == 0 for n in truth["inconsistencies"].values()), truth["inconsistencies"]
    assert rd.rules(rd.load(tmp_path), rates, BASE_AS_OF) == truth["inconsistencies"]
