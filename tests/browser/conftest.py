"""Browser tests: headless Chromium against the Dagster UI and the weekly report.

Chromium is Debian's ``chromium`` package; when it is missing the session installs it with
apt-get (as root), and the tests skip with the reason only if that fails. Screenshots and DOM
dumps are kept under test-artifacts/browser/ (git-ignored).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from orchestration.settings import PROJECT_DIR
from tests.browser.chromium import find_chromium, install_chromium
from tests.browser.dagster_server import DagsterServer, dagster_server, stop_process
from tests.ops.demo_build import (
    DemoBuild,
    demo_build,  # noqa: F401  (session fixture)
)

ARTIFACTS = PROJECT_DIR / "test-artifacts" / "browser"
UI_MODULE = "tests.browser.ui_definitions"


@pytest.fixture(scope="session")
def chromium() -> str:
    """The headless Chromium binary (installed with apt-get when missing)."""
    binary = find_chromium()
    if binary:
        return binary
    binary, log = install_chromium()
    if not binary:
        pytest.skip(f"headless Chromium is not available and could not be installed: {log}")
    return binary


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def pages(demo_build: DemoBuild, artifacts: Path) -> Iterator[str]:  # noqa: F811
    """``revops serve`` on the URL the demo's checks link to (REVOPS_PAGES_URL): the check
    pages, as `make ui` serves them beside the Dagster UI. A plain HTTP server, up in a second."""
    url = demo_build.settings.pages_url
    env = {**os.environ, **demo_build.settings.to_env()}
    log = (artifacts / "revops_serve.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "orchestration.cli", "serve"],
        cwd=PROJECT_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group, as stop_process expects
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(url, timeout=5).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"revops serve did not answer on {url}") from None
                time.sleep(0.3)
        yield url
    finally:
        # not terminate() + wait(10): once, on a loaded machine, serve took longer than 10 s
        # to stop and the teardown failed the suite
        stop_process(process)
        log.close()


@pytest.fixture(scope="session")
def ui(demo_build: DemoBuild, artifacts: Path) -> Iterator[DagsterServer]:  # noqa: F811
    """``dagster dev`` on the demo instance (runs, materializations and check results in it)."""
    home = demo_build.dagster_home
    config = yaml.safe_load((PROJECT_DIR / "dagster.yaml").read_text())
    (home / "dagster.yaml").write_text(yaml.safe_dump(config))
    env = demo_build.settings.to_env()
    with dagster_server(UI_MODULE, PROJECT_DIR, home, env, artifacts / "dagster_dev.log") as server:
        server.graphql("mutation { setNuxSeen }")  # the first-visit community dialog
        yield server
