"""A generated landing folder loads completely, with every row accounted for."""

from __future__ import annotations

import pytest

from orchestration.ingest import load_landing
from tests.ingest.helpers import query


def test_generated_landing_folder_loads(settings, tmp_path):
    try:
        from simulator import generate
    except ImportError as exc:
        pytest.skip(f"simulator.generate is not available yet: {exc}")
    out = tmp_path / "generated"
    generate(out, scale=0.02, seed=1)
    results = load_landing(settings, landing_dir=out)
    loaded = [r for r in results if r.status == "loaded"]
    assert loaded, "the simulator wrote no file the contract knows"
    for r in loaded:
        assert r.rows_in_file == r.rows_loaded + r.rows_quarantined, r.summary()
        count = query(settings, f'select count(*) from raw_{r.system}."{r.table}"')[0][0]
        assert count == r.rows_loaded - r.rows_superseded, r.summary()
    quarantined = sum(r.rows_quarantined for r in loaded)
    if quarantined:
        assert query(settings, "select count(*) from raw_quarantine.rejected_rows")[0][0] == (
            quarantined
        )
