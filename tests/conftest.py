"""Shared pytest fixtures: a small generated demo company, built once per session."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

PROJECT_DIR = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent

# Parallel workers (`make test` runs `pytest -n 3 --dist loadgroup`: on 2 cores, a third
# worker fills the time the others wait on subprocesses, servers and fsync). A work unit is a test
# folder, whose tests share the session fixtures of its conftest.py, or a file in the folders
# below, whose files share none, or one parameter of a file in SPLIT_BY_PARAM (each parameter
# is a company of its own, built by a full `revops run`). The slowest units are queued first
# (measured with --durations), so that no worker is left with a long tail.
SPLIT_BY_FILE = ("companies", "foundation")
# folders that share a session build (by its folder under the worker's basetemp) and so run on
# one worker: the browser tests open the operations tests' demo build (tests/ops/demo_build.py)
SAME_UNIT = {"browser": "ops"}
SPLIT_BY_PARAM = ("companies/test_shapes.py",)
SLOWEST_FIRST = (
    "spark",
    "ops",
    "companies/test_shapes.py",
    "journey",
    "foundation/test_end_to_end.py",
    "kpi",
    "companies/test_real_world.py",
    "quality",
    "companies/test_severity.py",
)


def work_unit(nodeid: str) -> str:
    """The work unit of a test: its folder under tests/ (or the folder it shares a unit
    with: SAME_UNIT), folder/file (SPLIT_BY_FILE) or folder/file[parameter]
    (SPLIT_BY_PARAM)."""
    path, _, name = nodeid.partition("::")
    parts = path.split("/")
    if parts and parts[0] == "tests":
        parts = parts[1:]
    if len(parts) == 1 or parts[0] not in SPLIT_BY_FILE:
        return SAME_UNIT.get(parts[0], parts[0])
    unit = "/".join(parts[:2])
    if unit in SPLIT_BY_PARAM and name.endswith("]") and "[" in name:
        return unit + name[name.index("[") :]
    return unit


def _rank(unit: str, rank: dict[str, int]) -> int:
    return rank.get(unit, rank.get(unit.split("[", 1)[0], len(rank)))


#: Dagster's SQLite event log and DuckDB fsync at every commit: with the session's temporary
#: folders (warehouses, Dagster homes) on a RAM disk a `revops run` takes a quarter less time
#: (84 s against 110 s on the demo). Used when it has room (a whole session's folders take
#: about 2 GiB, the Spark build's included); `--basetemp` chooses another place.
RAM_DISK = Path("/dev/shm")
RAM_DISK_ROOM = 4 * 2**30


def ram_basetemp() -> Path | None:
    """The session's temporary folder on the RAM disk (one per checkout, replaced by the next
    session as pytest replaces a given --basetemp), or None where there is no room."""
    if not RAM_DISK.is_dir() or shutil.disk_usage(RAM_DISK).free < RAM_DISK_ROOM:
        return None
    checkout = hashlib.sha1(str(PROJECT_DIR).encode()).hexdigest()[:8]
    return RAM_DISK / f"revops-pytest-{os.getuid()}-{checkout}"


def pytest_configure(config: pytest.Config) -> None:
    """The session's temporary folders on the RAM disk (ram_basetemp), and each parallel
    worker parsing dbt into its own target folder (DBT_TARGET_PATH).

    Every `revops run` of a test re-parses into the target folder when its warehouse differs
    from the last one; two workers sharing one folder would read each other's half-written
    manifests.
    """
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker and not config.option.basetemp:  # workers get theirs from the controller
        basetemp = ram_basetemp()
        if basetemp is not None:
            config.option.basetemp = str(basetemp)
    if worker:
        base = os.environ.get("DBT_TARGET_PATH") or "target"
        os.environ["DBT_TARGET_PATH"] = str(Path(base) / f"pytest-{worker}")


def pytest_report_header(config: pytest.Config) -> str:
    """Where the session's folders are: on a disk instead of the RAM disk, the suite is slower."""
    basetemp = config.option.basetemp
    if basetemp and Path(basetemp).is_relative_to(RAM_DISK):
        return f"temporary folders: {basetemp} (RAM disk)"
    room = shutil.disk_usage(RAM_DISK).free if RAM_DISK.is_dir() else 0
    return (
        f"temporary folders: {basetemp or 'pytest default'} (not the RAM disk: "
        f"{room / 2**30:.1f} GiB free in {RAM_DISK}, {RAM_DISK_ROOM / 2**30:.0f} needed)"
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Queue the slowest work units first (each unit's tests stay in their order)."""
    rank = {unit: i for i, unit in enumerate(SLOWEST_FIRST)}
    items.sort(key=lambda item: _rank(work_unit(item.nodeid), rank))


def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """--dist loadgroup: the work units above, whole, in the queue's order.

    (xdist's own loadgroup reads `xdist_group` marks through a node-id suffix that pytest 9.2
    no longer honours; a scheduler that splits node ids by work unit does not need marks.)
    """
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class WorkUnitScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return work_unit(nodeid)

    config.option.loadscopereorder = False  # keep the slowest-first order
    return WorkUnitScheduling(config, log)


@pytest.fixture(scope="session")
def project_dir() -> Path:
    return PROJECT_DIR


@pytest.fixture(scope="session", autouse=True)
def dbt_manifest() -> Path:
    """target/manifest.json, which the Dagster definitions load, prepared once per session.

    A fresh clone has none, and a test that loads the definitions in a subprocess (the browser
    tests' Dagster webserver) cannot prepare it itself.
    """
    from orchestration.dbt_project import prepare_manifest

    return prepare_manifest()


def run_revops(
    *args: str, env: dict[str, str] | None = None, timeout: int = 900
) -> subprocess.CompletedProcess[str]:
    """Run the installed `revops` console script as a user would (its warehouse through the
    worker's link: tests/parse_once.py)."""
    from tests.parse_once import linked_env

    exe = BIN / "revops"
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "orchestration.cli"]
    return subprocess.run(
        [*cmd, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=linked_env({**os.environ, **(env or {})}),
        cwd=PROJECT_DIR,
    )


def run_pipeline(
    landing: Path, work: Path, *args: str, env: dict[str, str] | None = None, timeout: int = 1500
) -> subprocess.CompletedProcess[str]:
    """`revops run --landing LANDING ARGS` with its Dagster home and reports under ``work``
    (``env``: the warehouse or server, and more)."""
    folders = {
        "DAGSTER_HOME": str(work / "dagster_home"),
        "REVOPS_REPORTS_DIR": str(work / "reports"),
    }
    return run_revops(
        "run", "--landing", str(landing), *args, env={**folders, **(env or {})}, timeout=timeout
    )


@pytest.fixture
def pg_database() -> Iterator[str]:
    """A fresh PostgreSQL database on the local server, dropped afterwards."""
    from tests.pg import fresh_database

    with fresh_database("revops_test") as name:
        yield name


@pytest.fixture(scope="session")
def demo_landing(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small demo company (scale 0.03) generated once per test session."""
    simulator = pytest.importorskip("simulator")
    out = tmp_path_factory.mktemp("landing")
    simulator.generate(out, scale=0.03, seed=7)
    return out


def copy_tree(src: Path, dst: Path) -> Path:
    shutil.copytree(src, dst)
    return dst
