"""The machine and software the figures were measured on."""

from __future__ import annotations

import os
import platform
import subprocess
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

PACKAGES = (
    "duckdb",
    "dbt-core",
    "dbt-duckdb",
    "dagster",
    "dagster-dbt",
    "dlt",
    "great-expectations",
)


def memory_gib() -> float:
    """Total memory from /proc/meminfo (0 when unreadable)."""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 2**20, 1)
    except OSError:
        pass
    return 0.0


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def _git(project_dir: Path, *args: str) -> str:
    """What ``git <args>`` prints in ``project_dir``, stripped (CalledProcessError on failure)."""
    return subprocess.run(
        ["git", *args], cwd=project_dir, capture_output=True, text=True, check=True
    ).stdout.strip()


def git_commit(project_dir: Path) -> str:
    """HEAD's short hash, with '+dirty' when tracked files differ from it."""
    try:
        head = _git(project_dir, "rev-parse", "--short", "HEAD")
        dirty = _git(project_dir, "status", "--porcelain", "--untracked-files=no")
    except (OSError, subprocess.CalledProcessError):
        return ""
    return head + ("+dirty" if dirty else "")


def machine_info(project_dir: Path) -> dict[str, Any]:
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return {
        "cores": os.cpu_count(),
        "memory_gib": memory_gib(),
        "cpu": cpu_model(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "versions": versions,
        "git_commit": git_commit(project_dir),
    }


def now_iso() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()
