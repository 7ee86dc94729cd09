"""Company profiles: which systems and tables exist, and a truth that describes the export."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sim_rederive as rd
from sim_companies import Companies

from simulator import generate

SCALE = 0.02
SEED = 5
BASE_AS_OF = rd.secs(__import__("pandas").Series(["2026-01-01T00:00:00Z"])).iloc[0]

SALESFORCE = [
    "salesforce/account",
    "salesforce/contact",
    "salesforce/lead",
    "salesforce/opportunity",
    "salesforce/opportunity_contact_role",
    "salesforce/opportunity_field_history",
    "salesforce/opportunity_line_item",
    "salesforce/product_2",
    "salesforce/task",
    "salesforce/user",
]
HUBSPOT = [
    "hubspot/company",
    "hubspot/contact",
    "hubspot/contact_form_submission",
    "hubspot/deal",
    "hubspot/deal_company",
    "hubspot/deal_contact",
    "hubspot/deal_pipeline",
    "hubspot/deal_pipeline_stage",
    "hubspot/deal_stage",
    "hubspot/email_campaign",
    "hubspot/email_event",
    "hubspot/form",
    "hubspot/owner",
]
EVERYTHING = sorted([*SALESFORCE, *HUBSPOT, "ads/ad_stats", "web/sessions"])
EXPECTED = {
    "everything": EVERYTHING,
    "crm-only": ["salesforce/account", "salesforce/opportunity", "salesforce/user"],
    "crm-leads": sorted(
        set(SALESFORCE) - {"salesforce/contact", "salesforce/opportunity_contact_role"}
    ),
    "marketing-only": HUBSPOT,
    "ads-only": ["ads/ad_stats"],
    "web-ads": ["ads/ad_stats", "web/sessions"],
    "marketing-crm": sorted([*SALESFORCE, *HUBSPOT]),
}
#: Facts that only exist through one system's tables.
FACTS_OF = {
    "salesforce": ("crm_accounts", "customers", "opportunities", "leads", "sqls"),
    "hubspot": ("hubspot_companies", "hubspot_contacts", "mqls", "linked_deal_pairs"),
    "ads": ("ad_spend_usd",),
}


def _written(folder: Path) -> list[str]:
    return sorted(f"{p.parent.name}/{p.stem}" for p in folder.glob("*/*.csv"))


@pytest.fixture(scope="module")
def presets(simulate: Companies) -> dict[str, tuple[Path, dict]]:
    return {
        name: simulate(f"profile_{name}", scale=SCALE, seed=SEED, profile=name) for name in EXPECTED
    }


@pytest.mark.parametrize("name", list(EXPECTED))
def test_preset_writes_exactly_its_tables(name: str, presets: dict, rates: rd.Rates):
    folder, truth = presets[name]
    assert _written(folder) == EXPECTED[name]
    block = truth["profile"]
    assert block["name"] == name
    assert block["tables_written"] == EXPECTED[name]
    assert block["tables_absent"] == sorted(set(EVERYTHING) - set(EXPECTED[name]))
    assert block["systems"] == [
        s
        for s in ("salesforce", "hubspot", "ads", "web")
        if any(t.startswith(s) for t in EXPECTED[name])
    ]
    assert sorted(truth["rows"]) == EXPECTED[name] == sorted(truth["rows_cumulative"])
    assert json.loads((folder / "ground_truth.json").read_text()) == truth


@pytest.mark.parametrize("name", list(EXPECTED))
def test_preset_truth_describes_the_export(name: str, presets: dict, rates: rd.Rates):
    folder, truth = presets[name]
    tables = rd.load(folder)
    rd.assert_facts_equal(truth, rd.facts(tables, rates))
    assert rd.rules(tables, rates, BASE_AS_OF) == truth["inconsistencies"]
    systems = truth["profile"]["systems"]
    for system, keys in FACTS_OF.items():
        if system not in systems:
            for key in keys:
                assert truth[key] == 0, (name, key)
    people_tables = {"salesforce/lead", "salesforce/contact", "hubspot/contact"}
    if not people_tables & set(EXPECTED[name]):
        assert truth["people"] == 0 and truth["mqls"] == 0


def test_crm_only_company_as_exported(presets: dict):
    _, truth = presets["crm-only"]
    everything = presets["everything"][1]
    assert truth["people"] == 0 and truth["mqls"] == 0 and truth["sqls"] == 0
    for key in ("opportunities", "opportunities_won", "crm_accounts", "customers"):
        assert truth[key] == everything[key] > 0, key
    assert truth["won_revenue_usd"] == everything["won_revenue_usd"] > 0
    # no HubSpot company: the accounts are the Salesforce websites only
    assert truth["accounts"] == truth["crm_accounts"]


def test_systems_and_omit_tables_narrow_the_profile(tmp_path: Path, rates: rd.Rates):
    truth = generate(
        tmp_path,
        scale=SCALE,
        seed=SEED,
        profile="marketing-crm",
        systems="salesforce,ads",
        omit_tables=["salesforce/contact", "salesforce/lead"],
    )
    expected = sorted(set(SALESFORCE) - {"salesforce/contact", "salesforce/lead"})
    assert _written(tmp_path) == expected
    assert truth["profile"]["name"] == "marketing-crm"
    assert truth["profile"]["systems"] == ["salesforce"]
    tables = rd.load(tmp_path)
    rd.assert_facts_equal(truth, rd.facts(tables, rates))
    assert rd.rules(tables, rates, BASE_AS_OF) == truth["inconsistencies"]
    custom = generate(tmp_path / "c", scale=SCALE, seed=SEED, systems=["web"])
    assert custom["profile"]["name"] == "custom"
    assert _written(tmp_path / "c") == ["web/sessions"]


def test_absent_tables_have_no_file_in_batches_either(tmp_path: Path):
    generate(tmp_path / "b", scale=SCALE, seed=SEED, profile="crm-only", batch=1)
    assert set(_written(tmp_path / "b")) <= set(EXPECTED["crm-only"])
    # a rerun into a folder of another shape removes the tables that are now absent
    generate(tmp_path / "x", scale=SCALE, seed=SEED)
    generate(tmp_path / "x", scale=SCALE, seed=SEED, profile="ads-only")
    assert _written(tmp_path / "x") == ["ads/ad_stats"]


def test_no_stage_history(tmp_path: Path, presets: dict, rates: rd.Rates):
    truth = generate(tmp_path, scale=SCALE, seed=SEED, stage_history=False)
    gone = ["hubspot/deal_stage", "salesforce/opportunity_field_history"]
    assert _written(tmp_path) == sorted(set(EVERYTHING) - set(gone))
    assert truth["profile"]["stage_history"] is False
    assert truth["profile"]["tables_absent"] == gone
    everything = presets["everything"][1]
    for key in ("people", "opportunities", "opportunities_won", "won_revenue_usd", "mqls"):
        assert truth[key] == everything[key], key
    tables = rd.load(tmp_path)
    rd.assert_facts_equal(truth, rd.facts(tables, rates))
    assert rd.rules(tables, rates, BASE_AS_OF) == truth["inconsistencies"]


def test_salesforce_stage_history_as_opportunity_history(
    tmp_path: Path, presets: dict, rates: rd.Rates
):
    """OpportunityHistory instead of the StageName field history: a row when each
    opportunity was created, in its starting stage, then one per stage change at the field
    history's moments; the facts and the rules do not move."""
    truth = generate(
        tmp_path / "oh", scale=SCALE, seed=SEED, salesforce_stage_history="opportunity_history"
    )
    gone, added = "salesforce/opportunity_field_history", "salesforce/opportunity_history"
    assert _written(tmp_path / "oh") == sorted({*EVERYTHING, added} - {gone})
    assert truth["profile"]["tables_absent"] == [gone]
    everything = presets["everything"][1]
    for key in ("people", "opportunities", "opportunities_won", "won_revenue_usd", "mqls"):
        assert truth[key] == everything[key], key
    assert truth["inconsistencies"] == everything["inconsistencies"]
    history = rd.load(tmp_path / "oh")[added]
    field = rd.load(presets["everything"][0])[gone]
    opps = rd.load(presets["everything"][0])["salesforce/opportunity"]
    assert set(history["opportunity_id"]) == set(opps["id"])
    stages = field[field["field"] == "StageName"].sort_values(["created_date", "id"])
    changes = stages.groupby("opportunity_id")
    for opportunity, rows in history.sort_values(["created_date", "id"]).groupby("opportunity_id"):
        created = opps.loc[opps["id"] == opportunity, "created_date"].iloc[0]
        assert rows["created_date"].iloc[0] == created, opportunity
        if opportunity not in changes.groups:
            assert len(rows) == 1, opportunity
            continue
        change = changes.get_group(opportunity)
        assert rows["stage_name"].iloc[0] == change["old_value"].iloc[0], opportunity
        assert list(rows["stage_name"].iloc[1:]) == list(change["new_value"]), opportunity
        assert list(rows["created_date"].iloc[1:]) == list(change["created_date"]), opportunity
    # a shape without stage history keeps none; an unknown value names the option
    generate(
        tmp_path / "crm",
        scale=SCALE,
        seed=SEED,
        profile="crm-only",
        salesforce_stage_history="opportunity_history",
    )
    assert _written(tmp_path / "crm") == EXPECTED["crm-only"]
    with pytest.raises(ValueError, match="salesforce_stage_history must be one of"):
        generate(tmp_path / "x", scale=SCALE, seed=SEED, salesforce_stage_history="history")
