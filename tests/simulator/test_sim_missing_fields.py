"""Rows missing business fields (missing_fields): counted in the truth, read as SQL nulls."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import sim_rederive as rd
from sim_companies import Companies

from simulator import generate

SCALE = 0.04
SEED = 11
BASE_AS_OF = rd.secs(pd.Series(["2026-01-01T00:00:00Z"])).iloc[0]


@pytest.fixture(scope="module")
def holes(simulate: Companies) -> tuple[Path, dict]:
    return simulate("missing_fields", scale=SCALE, seed=SEED, missing_fields=0.05)


def test_missing_fields_are_counted(holes: tuple[Path, dict], demo: tuple[Path, dict]):
    folder, truth = holes
    tables = rd.load(folder)
    assert truth["profile"]["missing_fields"] == 0.05
    assert rd.missing_fields(tables) == truth["missing_fields"]
    assert all(n >= 1 for n in truth["missing_fields"].values()), truth["missing_fields"]
    assert rd.missing_fields(rd.load(demo[0])) == demo[1]["missing_fields"]
    assert all(n == 0 for n in demo[1]["missing_fields"].values())
    # about 5% of the live rows
    opps = rd.live(tables["salesforce/opportunity"])
    share = truth["missing_fields"]["salesforce/opportunity.created_date"] / len(opps)
    assert 0.02 <= share <= 0.1, share
    hs = rd.live(tables["hubspot/contact"], "_fivetran_deleted")
    share = truth["missing_fields"]["hubspot/contact.property_email"] / len(hs)
    assert 0.03 <= share <= 0.07, share


def test_other_facts_and_rules_re_derive(holes: tuple[Path, dict], demo, rates: rd.Rates):
    folder, truth = holes
    tables = rd.load(folder)
    rd.assert_facts_equal(truth, rd.facts(tables, rates))
    assert rd.rules(tables, rates, BASE_AS_OF) == truth["inconsistencies"]
    # the company is the demo's: only the fields are missing
    for key in (
        "opportunities",
        "opportunities_won",
        "won_revenue_usd",
        "customers",
        "leads",
        "hubspot_contacts",
        "crm_accounts",
    ):
        assert truth[key] == demo[1][key], key
    # rows without email identify nobody, and count in full as duplicates
    assert truth["people"] < demo[1]["people"]
    dup = truth["inconsistencies_detail"]["duplicate_people"]
    base = demo[1]["inconsistencies_detail"]["duplicate_people"]
    assert dup["hubspot_contact"] >= base["hubspot_contact"] + 1


def test_clean_company_with_missing_fields(tmp_path: Path, rates: rd.Rates):
    """Null created dates never break the timeline nor make an opportunity quiet."""
    truth = generate(tmp_path, scale=0.02, seed=SEED, missing_fields=0.5, inconsistency_rate=0)
    tables = rd.load(tmp_path)
    assert rd.rules(tables, rates, BASE_AS_OF) == truth["inconsistencies"]
    assert truth["inconsistencies"]["timeline_monotonic"] == 0
    assert truth["inconsistencies"]["pipeline_hygiene"] == 0
    assert truth["inconsistencies"]["duplicate_people"] > 0
