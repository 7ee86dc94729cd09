"""Which project is measured: a snapshot of a commit (default) or the working tree in place.

A snapshot (``git archive <ref>`` into the work folder) gives the run its own ``target/``
(dbt's partial-parse state and manifest) and files nobody edits during the run, and names the
exact commit the figures belong to.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path


def git(project_dir: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=project_dir, capture_output=True, text=True, check=True
    ).stdout.strip()


def snapshot(project_dir: Path, dest: Path, ref: str = "HEAD") -> tuple[Path, str]:
    """Extract ``ref`` of the repository at ``project_dir`` into ``dest``; (dest, short hash)."""
    commit = git(project_dir, "rev-parse", "--short", ref)
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    archive = subprocess.Popen(
        ["git", "archive", "--format=tar", ref], cwd=project_dir, stdout=subprocess.PIPE
    )
    subprocess.run(["tar", "-x", "-C", str(dest)], stdin=archive.stdout, check=True)
    if archive.stdout:
        archive.stdout.close()
    if archive.wait() != 0:
        raise RuntimeError(f"git archive {ref} failed in {project_dir}")
    return dest, commit
