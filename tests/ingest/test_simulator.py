"""A generated landing folder loads completely, with every row accounted for."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from orchestration.ingest import load_landing
from tests.ingest.helpers import query


def _generate(out: Path, **kwargs: Any) -> dict:
    try:
        from simulator import generate
    except ImportError as exc:
        pytest.skip(f"simulator.generate is not available: {exc}")
    generate(out, scale=0.02, seed=1, **kwargs)
    return json.loads((out / "ground_truth.json").read_text())


def _check(settings, results, truth: dict) -> None:
    loaded = [r for r in results if r.status == "loaded"]
    assert loaded, "the simulator wrote no file the contract knows"
    for r in loaded:
        assert r.rows_in_file == r.rows_loaded + r.rows_quarantined, r.summary()
        assert r.rows_in_file == truth["rows"][f"{r.system}/{r.table}"], r.summary()


def test_generated_landing_folder_loads(settings, tmp_path):
    truth = _generate(tmp_path / "base")
    results = load_landing(settings, landing_dir=tmp_path / "base")
    _check(settings, results, truth)
    for r in results:
        if r.status == "loaded":
            count = query(settings, f'select count(*) from raw_{r.system}."{r.table}"')[0][0]
            assert count == r.rows_loaded - r.rows_superseded, r.summary()
    # rows without a primary key value are exactly the simulator's conservation findings
    quarantined = query(settings, "select count(*) from raw_quarantine.rejected_rows")[0][0]
    assert quarantined == sum(r.rows_quarantined for r in results)
    assert quarantined == truth["inconsistencies"]["conservation"]


@pytest.mark.slow
def test_generated_daily_batches_merge_and_add_new_column(settings, tmp_path):
    base_truth = _generate(tmp_path / "b0")
    _check(settings, load_landing(settings, landing_dir=tmp_path / "b0"), base_truth)
    for batch in (1, 2):
        out = tmp_path / f"b{batch}"
        truth = _generate(out, batch=batch)
        results = load_landing(settings, landing_dir=out)
        _check(settings, results, truth)
    lead = next(r for r in results if r.table == "lead")
    assert "region__c" in lead.new_columns
    assert query(settings, "select count(region__c) from raw_salesforce.lead")[0][0] > 0
