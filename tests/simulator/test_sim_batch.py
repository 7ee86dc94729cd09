"""Batch deltas: updated versions of existing rows, new rows, and a new column from batch 2."""

from __future__ import annotations

from pathlib import Path

import sim_rederive as rd


def test_batch_one_updates_and_adds(demo: tuple[Path, dict], batches: list[tuple[Path, dict]]):
    base = rd.load(demo[0])
    folder, truth = batches[0]
    delta = rd.load(folder)
    assert truth["batch"] == 1 and truth["as_of"] == "2026-01-02T00:00:00Z"
    assert set(delta) < set(base)  # only the tables that changed
    updated = new = 0
    for table in ("salesforce/opportunity", "salesforce/lead", "hubspot/contact", "hubspot/deal"):
        key = "deal_id" if table == "hubspot/deal" else "id"
        if table not in delta:
            continue
        old = base[table].set_index(key)["_fivetran_synced"]
        for k, synced in zip(delta[table][key], delta[table]["_fivetran_synced"], strict=True):
            if k in old.index:
                updated += 1
                assert synced > old[k]
            else:
                new += 1
        assert (delta[table]["_fivetran_synced"] >= "2026-01-01T00:00:00Z").all()
        assert (delta[table]["_fivetran_synced"] < "2026-01-02T00:00:00Z").all()
    assert updated > 0 and new > 0
    # late-arriving leads: created months ago, first delivered in batch 1
    leads = delta["salesforce/lead"]
    late = leads[
        ~leads["id"].isin(base["salesforce/lead"]["id"]) & (leads["created_date"] < "2025-12-01")
    ]
    assert len(late) >= 1
    assert set(delta["web/sessions"]["session_id"]).isdisjoint(
        base["web/sessions"]["session_id"].replace("", None).dropna()
    )


def test_batch_two_adds_a_column(demo: tuple[Path, dict], batches: list[tuple[Path, dict]]):
    base_cols = list(rd.load(demo[0])["salesforce/lead"].columns)
    b1 = list(rd.load(batches[0][0])["salesforce/lead"].columns)
    b2 = rd.load(batches[1][0])["salesforce/lead"]
    assert "region__c" not in base_cols and b1 == base_cols
    assert list(b2.columns) == [*base_cols[:-1], "region__c", "_fivetran_synced"]
    assert set(b2["region__c"]) <= {"NA", "EMEA", "APAC"}
