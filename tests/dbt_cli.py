"""Running the dbt CLI from tests: this repository, the test's own target and log paths."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def run_dbt(
    args: list[str],
    env: dict[str, str],
    work: Path,
    timeout: float = 1800,
    *,
    as_of: str | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run dbt (the venv's) with ``env`` over the environment; fail with the output's tail.

    ``as_of`` is passed as a run passes it (``--vars``, orchestration/run_settings.py); without
    it dbt uses its default (the latest load of the raw data).
    """
    from orchestration.run_settings import dbt_vars_args, resolve_as_of
    from tests.parse_once import linked_env, parse_key, shared_parse_state

    cmd = [
        str(Path(sys.executable).with_name("dbt")),
        *args,
        *(dbt_vars_args(resolve_as_of(as_of)) if as_of else []),
        "--project-dir",
        str(REPO),
        "--profiles-dir",
        str(REPO),
        "--target-path",
        str(work / "target"),
        "--log-path",
        str(work / "logs"),
    ]
    full_env = linked_env({**os.environ, **env})
    with shared_parse_state(work / "target", parse_key(full_env, cmd)):
        result = subprocess.run(
            cmd,
            cwd=REPO,
            env=full_env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    if result.returncode != 0:
        tail = "\n".join(result.stdout.splitlines()[-60:])
        raise AssertionError(f"dbt {' '.join(args)} failed ({result.returncode}):\n{tail}")
    return result
