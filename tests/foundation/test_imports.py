"""Importing the quality stack must not end a process started with `python -c`.

With pyspark installed but not its Spark Connect packages, Great Expectations' import of
pyspark.sql.connect took any process without a __main__ file (pytest-xdist workers, spawned
subprocesses) for a doctest run and called sys.exit(0): the process ended, with status 0, in
the middle of its import. pyproject.toml installs pyspark[connect] for that reason.
"""

from __future__ import annotations

import subprocess
import sys


def test_a_python_c_process_survives_importing_great_expectations() -> None:
    result = subprocess.run(
        [sys.executable, "-c", "import great_expectations; print('imported')"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0 and "imported" in result.stdout, result.stderr[-2000:]
