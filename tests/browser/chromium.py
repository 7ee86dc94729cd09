"""Headless Chromium for the browser tests: find (or install) it, dump a page's DOM, screenshot it.

Dagster's UI is a JavaScript app: ``--virtual-time-budget`` lets the page's scripts and requests
run before the DOM is dumped or the screenshot taken.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")


def find_chromium() -> str | None:
    """The Chromium binary, or None."""
    for path in CANDIDATES:
        if Path(path).exists():
            return path
    return shutil.which("chromium") or shutil.which("chromium-browser")


def install_chromium() -> tuple[str | None, str]:
    """Install Debian's chromium package with apt-get (root only); (binary or None, log)."""
    if hasattr(os, "geteuid") and os.geteuid() != 0:
        return None, "not root: cannot apt-get install chromium"
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    log = []
    for cmd in (["apt-get", "update"], ["apt-get", "install", "-y", "chromium"]):
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=900, env=env)
        except (OSError, subprocess.TimeoutExpired) as exc:
            return None, f"{' '.join(cmd)} failed: {exc}"
        log.append(done.stdout[-2000:] + done.stderr[-2000:])
        if done.returncode != 0:
            return None, f"{' '.join(cmd)} exited {done.returncode}: {log[-1]}"
    return find_chromium(), "\n".join(log)


def _base_args(binary: str, profile: str, budget_ms: int) -> list[str]:
    return [
        binary,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--hide-scrollbars",
        f"--user-data-dir={profile}",
        f"--virtual-time-budget={budget_ms}",
    ]


def dump_dom(binary: str, url: str, budget_ms: int = 15000, timeout: int = 120) -> str:
    """The DOM of ``url`` after its scripts ran (``--dump-dom``)."""
    with tempfile.TemporaryDirectory(prefix="chromium-") as profile:
        done = subprocess.run(
            [*_base_args(binary, profile, budget_ms), "--dump-dom", url],
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    if done.returncode != 0 and not done.stdout:
        raise RuntimeError(
            f"chromium --dump-dom {url} exited {done.returncode}: {done.stderr[-2000:]}"
        )
    return done.stdout


def screenshot(
    binary: str,
    url: str,
    path: Path,
    size: tuple[int, int] = (1400, 900),
    budget_ms: int = 15000,
    timeout: int = 120,
) -> Path:
    """A PNG of ``url`` as rendered at ``size``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="chromium-") as profile:
        done = subprocess.run(
            [
                *_base_args(binary, profile, budget_ms),
                f"--screenshot={path}",
                f"--window-size={size[0]},{size[1]}",
                url,
            ],
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    if not path.exists():
        raise RuntimeError(
            f"chromium --screenshot {url} exited {done.returncode}: {done.stderr[-2000:]}"
        )
    return path
