"""Same seed, same bytes; another seed, other data."""

from __future__ import annotations

from pathlib import Path

from simulator import generate


def _files(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def test_same_seed_gives_identical_bytes(tmp_path: Path):
    a, b, c = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    generate(a, scale=0.02, seed=3)
    generate(b, scale=0.02, seed=3)
    generate(c, scale=0.02, seed=4)
    fa, fb, fc = _files(a), _files(b), _files(c)
    assert len(fa) == 26 and "ground_truth.json" in fa
    assert fa == fb
    assert fa.keys() == fc.keys()
    differing = [name for name in fa if fa[name] != fc[name]]
    assert "salesforce/lead.csv" in differing and "web/sessions.csv" in differing


def test_batch_is_deterministic_and_independent_of_earlier_runs(tmp_path: Path):
    generate(tmp_path / "x", scale=0.02, seed=3, batch=2)
    generate(tmp_path / "y", scale=0.02, seed=3, batch=1)
    generate(tmp_path / "y", scale=0.02, seed=3, batch=2)  # overwrites the same folder
    assert _files(tmp_path / "x") == _files(tmp_path / "y")
