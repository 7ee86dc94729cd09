"""The test workers' warehouse links (tests/parse_once.py): the same path string for every
warehouse of a name, the right file behind it, and no write-ahead log lost on a repoint."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb

from tests.parse_once import (
    PARTIAL_PARSE,
    linked_env,
    parse_key,
    shared_parse_state,
    warehouse_link,
)

KILLED_WRITE = """
import duckdb, os, sys
con = duckdb.connect(sys.argv[1])
con.execute("pragma disable_checkpoint_on_shutdown")
con.execute("create table t as select 1 as a")
con.execute("insert into t values (2)")
os._exit(0)  # as a killed run: the row is only in the write-ahead log
"""


def _rows(path: Path) -> list[tuple[int]]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute("select a from t order by a").fetchall()
    finally:
        con.close()


def test_two_warehouses_of_one_name_get_one_path_each_pointing_at_its_file(tmp_path: Path) -> None:
    first, second = tmp_path / "a" / "warehouse.duckdb", tmp_path / "b" / "warehouse.duckdb"
    env_a = linked_env({"REVOPS_DUCKDB_PATH": str(first)})
    assert Path(env_a["REVOPS_DUCKDB_PATH"]).resolve() == first.resolve()
    env_b = linked_env({"REVOPS_DUCKDB_PATH": str(second)})
    assert env_b["REVOPS_DUCKDB_PATH"] == env_a["REVOPS_DUCKDB_PATH"]
    assert Path(env_b["REVOPS_DUCKDB_PATH"]).resolve() == second.resolve()
    assert env_b["REVOPS_SERVING_PATH"] == str(second.parent / "marts.duckdb")
    assert linked_env({"REVOPS_DUCKDB_PATH": "data/w.duckdb"}) == {
        "REVOPS_DUCKDB_PATH": "data/w.duckdb"
    }


def test_a_killed_writers_log_follows_its_file_when_the_link_moves(tmp_path: Path) -> None:
    first, second = tmp_path / "a" / "warehouse.duckdb", tmp_path / "b" / "warehouse.duckdb"
    first.parent.mkdir()
    link = warehouse_link(first)
    # a warehouse created through the link keeps its log beside the link (an existing file
    # opened through it: beside the file)
    subprocess.run([sys.executable, "-c", KILLED_WRITE, str(link)], check=True)
    assert Path(f"{link}.wal").exists()

    warehouse_link(second)
    assert not Path(f"{link}.wal").exists()
    assert _rows(first) == [(1,), (2,)]


def test_a_fresh_target_starts_from_the_state_of_its_own_vars_and_warehouse(
    tmp_path: Path, monkeypatch
) -> None:
    """Each key's state is kept: a call whose vars and warehouse came before starts from that
    state, not from the worker's last one."""
    from tests import parse_once

    monkeypatch.setattr(parse_once, "worker_dir", lambda: tmp_path / "worker")
    (tmp_path / "worker").mkdir()
    env = {"REVOPS_TARGET": "duckdb", "REVOPS_DUCKDB_PATH": "/x/warehouse.duckdb"}
    day_1 = parse_key(env, ["build", "--vars", '{"as_of": "2026-01-01"}'])
    day_2 = parse_key(env, ["build", "--vars", '{"as_of": "2026-02-01"}'])
    assert len({day_1, day_2, parse_key({**env, "REVOPS_TARGET": "postgres"}, [])}) == 3
    found = []
    for n, key in enumerate([day_1, day_2, day_1]):
        target = tmp_path / f"call{n}"
        with shared_parse_state(target, key):
            state = target / PARTIAL_PARSE
            found.append(state.read_text() if state.exists() else None)
            target.mkdir(exist_ok=True)
            state.write_text(key)
    assert found == [None, day_1, day_1]
