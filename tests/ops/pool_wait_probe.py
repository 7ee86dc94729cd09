"""A run that must wait for the `duckdb_writer` slot, executed as `revops run` executes it.

``python -m tests.ops.pool_wait_probe DAGSTER_HOME BOUND_SECONDS``: another run (``holder-run``)
holds the pool's slot in the instance at DAGSTER_HOME (the project's dagster.yaml: limit 1);
a one-step job in that pool runs under ``execute_guarded`` with the given bound. The exit code
is the CLI's: 0 success, 1 failed (the bound), 143 canceled (SIGTERM); the last line printed is
``run_id=<id>``.
"""

from __future__ import annotations

import shutil
import sys
import uuid
from pathlib import Path

from dagster import DagsterInstance, Definitions, asset, define_asset_job

from orchestration.pools import WRITER_POOL
from orchestration.run_guard import execute_guarded
from orchestration.settings import PROJECT_DIR

HOLDER_RUN = "holder-run"
HOLDER_STEP = "holder_step"


@asset(pool=WRITER_POOL)
def writes_the_warehouse() -> None:
    """Stands for any step that opens the DuckDB file."""


def main(home: Path, bound: float) -> int:
    home.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(PROJECT_DIR / "dagster.yaml", home / "dagster.yaml")
    defs = Definitions(assets=[writes_the_warehouse], jobs=[define_asset_job("probe")])
    job = defs.resolve_job_def("probe")
    run_id = str(uuid.uuid4())
    print(f"run_id={run_id}", flush=True)
    with DagsterInstance.from_config(str(home)) as instance:
        storage = instance.event_log_storage
        storage.set_concurrency_slots(WRITER_POOL, 1)
        storage.claim_concurrency_slot(WRITER_POOL, HOLDER_RUN, HOLDER_STEP)
        result, stopped = execute_guarded(
            job, instance, run_id, WRITER_POOL, bound, say=lambda line: print(line, flush=True)
        )
    if stopped is not None:
        print(f"error: {stopped.message}", flush=True)
        return 143 if stopped.canceled else 1
    return 0 if result.success else 1


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), float(sys.argv[2])))
