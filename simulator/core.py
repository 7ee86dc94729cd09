"""generate(): plan the world, cut the tables at as_of (or a batch day), write CSVs and truth."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import numpy as np

from simulator import snapshot
from simulator.config import AS_OF, DAY, SimConfig, validate_args
from simulator.fx import load_rates
from simulator.rules import count_all, hs_emails
from simulator.schema import NEW_COLUMN, TABLES
from simulator.truth import facts, header
from simulator.world import build_world
from simulator.writer import ChunkWriter, format_table, table_path, write_frame

CHUNKED = ("hubspot/email_event", "web/sessions", "ads/ad_stats")


def _noop(_: str) -> None:
    return None


def generate(
    out_dir: Path,
    scale: float = 1.0,
    seed: int = 42,
    batch: int | None = None,
    inconsistency_rate: float = 1.0,
    progress: Callable[[str], None] | None = None,
) -> dict:
    """Write a simulated company's raw tables into ``out_dir`` and return its ground truth.

    batch=None writes the base load as of 2026-01-01T00:00:00Z; batch=K writes only the rows
    new or changed during day K after as_of, and a truth describing the cumulative state.
    """
    validate_args(scale, seed, batch, inconsistency_rate)
    if not isinstance(out_dir, Path):
        try:
            out_dir = Path(out_dir)
        except TypeError as exc:
            raise ValueError(f"out_dir must be a path, got {out_dir!r}") from exc
    say = progress or _noop
    cfg = SimConfig(scale=float(scale), seed=seed, inconsistency_rate=float(inconsistency_rate))
    rates = load_rates()
    say(f"planning the company (scale {scale}, seed {seed})")
    world = build_world(cfg, rates)
    if batch is None:
        lo, T = 0, AS_OF
    else:
        lo, T = AS_OF + (batch - 1) * DAY, AS_OF + batch * DAY
    out_dir.mkdir(parents=True, exist_ok=True)
    for table in TABLES:
        table_path(out_dir, table).unlink(missing_ok=True)
    (out_dir / "ground_truth.json").unlink(missing_ok=True)

    say("writing CRM and marketing tables")
    tables = {name: fn(world, T) for name, fn in snapshot.SNAPSHOTS.items()}
    written: dict[str, int] = {}
    for name, frame in tables.items():
        out = frame[frame["_fivetran_synced"].to_numpy() >= lo]
        if batch is not None and not len(out):
            continue
        extra = (NEW_COLUMN[1],) if batch is not None and batch >= 2 and name == NEW_COLUMN[0] \
            else ()
        write_frame(table_path(out_dir, name), format_table(name, out, extra), append=False)
        written[name] = len(out)
    chunks = ChunkWriter(world, out_dir, lo, T, hs_emails(tables), say)
    chunks.run()
    for name in CHUNKED:
        if chunks.written.get(name, 0) or batch is None:
            written[name] = chunks.written.get(name, 0)
            if not chunks.written.get(name, 0):  # an empty table still has its header
                empty = {c: np.array([], dtype=object) for c, _ in TABLES[name]}
                empty["_fivetran_synced"] = np.array([], dtype=object)
                write_frame(table_path(out_dir, name), empty, append=False)

    say("counting the truth")
    totals, detail = count_all(tables, chunks.stats, rates, T)
    truth = header(cfg, batch, T)
    truth.update(facts(world, tables, chunks.stats, rates))
    cumulative = {name: len(frame) for name, frame in tables.items()}
    cumulative.update({name: int(chunks.stats.rows.get(name, 0)) for name in CHUNKED})
    truth["rows"] = {name: int(written.get(name, 0)) for name in TABLES if name in written}
    truth["rows_cumulative"] = {name: cumulative[name] for name in TABLES}
    truth["inconsistencies"] = totals
    truth["inconsistencies_detail"] = detail
    truth["injected"] = dict(sorted(world.injected.items()))
    truth["unmapped_values"] = [list(x) for x in world.unmapped]
    truth["stale_tables"] = sorted(world.stale_stop)
    truth = _plain(truth)
    with (out_dir / "ground_truth.json").open("w", encoding="utf-8") as fh:
        json.dump(truth, fh, indent=2, sort_keys=True)
        fh.write("\n")
    say(f"done: {truth['people']} people, {truth['opportunities']} opportunities")
    return truth


def _plain(value: object) -> object:
    """numpy scalars -> Python scalars (JSON-ready)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    return value
