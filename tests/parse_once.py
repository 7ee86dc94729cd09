"""dbt parses the project once per test worker, not once per test warehouse.

dbt parses the whole project again (about 30 s of CPU, a minute on a loaded CI machine)
whenever the profile's connection details change, and the DuckDB file's path is one of them
(dbt's partial-parsing state check hashes the profile's connection info). Every test with a
warehouse of its own would pay a full parse: dozens a CI run. So each test worker has one
stable path per file name, a symlink that these helpers point at the test's warehouse before
each dbt or `revops` call. The warehouse stays where the test put it; the link has its file
name, so DuckDB names the catalog alike either way.

Only for calls that finish before the helper returns: a process left running (a webserver, a
daemon) must be given the real path, since the next test repoints the link.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

PARTIAL_PARSE = "partial_parse.msgpack"
REPO = Path(__file__).resolve().parents[1]


def worker_dir() -> Path:
    """This test worker's folder of links and its last partial-parse state, one per checkout:
    sessions of two checkouts on one machine must not repoint each other's links (a dbt call
    of one would open the other's warehouse)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    checkout = hashlib.sha1(str(REPO).encode()).hexdigest()[:8]
    folder = Path(tempfile.gettempdir()) / f"revops-pytest-{os.getuid()}-{checkout}-{worker}"
    folder.mkdir(exist_ok=True)
    return folder


def warehouse_link(real: Path) -> Path:
    """The worker's stable path for ``real``, pointed at it.

    A write-ahead log left at the link by a killed run belongs to the file the link pointed
    at: it is moved beside that file before the link is repointed.
    """
    link = worker_dir() / real.name
    if link.is_symlink() and Path(os.readlink(link)) == real:
        return link
    wal = Path(f"{link}.wal")
    if link.is_symlink() and wal.exists():
        previous = Path(f"{os.readlink(link)}.wal")
        if previous.exists():
            wal.unlink()
        else:
            shutil.move(wal, previous)
    if link.is_symlink() or link.exists():
        link.unlink()
    link.symlink_to(real)
    return link


def linked_env(env: Mapping[str, str]) -> dict[str, str]:
    """``env`` with REVOPS_DUCKDB_PATH given as the worker's link (the serving file stays
    beside the real warehouse, where the product puts it by default)."""
    out = dict(env)
    path = out.get("REVOPS_DUCKDB_PATH")
    if not path:
        return out
    real = Path(path)
    if not real.is_absolute():
        return out  # relative to the project: the same string in every test already
    out.setdefault("REVOPS_SERVING_PATH", str(real.parent / "marts.duckdb"))
    out["REVOPS_DUCKDB_PATH"] = str(warehouse_link(real))
    return out


def parse_key(env: Mapping[str, str], args: list[str]) -> str:
    """What dbt's partial-parse check compares beside the project files, as the product
    digests it (orchestration/dbt_project.py: parse_state): the target and connection the
    environment gives and the command's ``--vars``."""
    from orchestration.dbt_project import parse_state
    from orchestration.settings import Settings

    given = args[args.index("--vars") + 1] if "--vars" in args[:-1] else "{}"
    return parse_state(Settings.from_env(dict(env)), json.loads(given))[:16]


@contextmanager
def shared_parse_state(target: Path, key: str = "") -> Iterator[None]:
    """Around one dbt call with its own target folder: a fresh folder starts from the worker's
    partial-parse state of the same ``key`` (parse_key), else its last one (dbt checks it and
    parses in full when the project, the profile or the vars differ); the call's state is kept
    under its key and as the last one, for the worker's next calls."""
    states = worker_dir() / "parse_states"
    keyed = states / f"{key}.msgpack"
    last = worker_dir() / PARTIAL_PARSE
    start = keyed if key and keyed.exists() else last
    if start.exists() and not (target / PARTIAL_PARSE).exists():
        target.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(start, target / PARTIAL_PARSE)
    yield
    if (target / PARTIAL_PARSE).exists():
        shutil.copyfile(target / PARTIAL_PARSE, last)
        if key:
            states.mkdir(exist_ok=True)
            shutil.copyfile(target / PARTIAL_PARSE, keyed)
