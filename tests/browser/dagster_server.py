"""Start ``dagster dev`` (or ``dagster-webserver``) on a free localhost port and wait for it."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

BIN = Path(sys.executable).parent
LOCATION_QUERY = """
{ workspaceOrError { __typename ... on Workspace { locationEntries { name
  locationOrLoadError { __typename ... on PythonError { message } } } } } }
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class DagsterServer:
    url: str
    log: Path
    process: subprocess.Popen[bytes]

    def graphql(self, query: str, variables: Mapping[str, object] | None = None) -> dict:
        body = json.dumps({"query": query, "variables": dict(variables or {})}).encode()
        request = urllib.request.Request(
            f"{self.url}/graphql", data=body, headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read())


def location_names(server: DagsterServer) -> list[str]:
    """The names of the code locations the server shows."""
    data = server.graphql(LOCATION_QUERY)["data"]["workspaceOrError"]
    return [entry["name"] for entry in data.get("locationEntries") or []]


def _location_state(server: DagsterServer) -> tuple[str, str]:
    data = server.graphql(LOCATION_QUERY)["data"]["workspaceOrError"]
    entries = data.get("locationEntries") or []
    if not entries or entries[0]["locationOrLoadError"] is None:
        return "loading", ""
    loaded = entries[0]["locationOrLoadError"]
    return loaded["__typename"], loaded.get("message", "")


@contextmanager
def dagster_server(
    module: str | None,
    cwd: Path,
    dagster_home: Path,
    env: Mapping[str, str],
    log: Path,
    command: str = "dev",
    timeout: float = 240,
) -> Iterator[DagsterServer]:
    """``dagster dev -m module`` (command="dev") or ``dagster-webserver -m module``; without a
    module, what pyproject.toml's [tool.dagster] in ``cwd`` names (as `make ui` runs it)."""
    port = free_port()
    load = ["-m", module] if module else []
    if command == "dev":
        cmd = [str(BIN / "dagster"), "dev", *load, "-h", "127.0.0.1", "-p", str(port)]
    else:
        cmd = [str(BIN / "dagster-webserver"), *load, "-h", "127.0.0.1", "-p", str(port)]
    log.parent.mkdir(parents=True, exist_ok=True)
    full_env = {**os.environ, **env, "DAGSTER_HOME": str(dagster_home), "PYTHONPATH": str(cwd)}
    with log.open("wb") as out:
        process = subprocess.Popen(
            cmd, cwd=cwd, env=full_env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
        server = DagsterServer(f"http://127.0.0.1:{port}", log, process)
        try:
            _wait(server, timeout)
            yield server
        finally:
            stop_process(process)


def _wait(server: DagsterServer, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    last = ""
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"dagster exited {server.process.returncode}: {_tail(server.log)}")
        try:
            state, message = _location_state(server)
        except OSError as exc:
            last = str(exc)
            time.sleep(1)
            continue
        if state == "RepositoryLocation":
            return
        if state == "PythonError":
            raise RuntimeError(f"code location failed to load: {message}")
        last = state
        time.sleep(1)
    raise TimeoutError(
        f"dagster did not serve {server.url} in {timeout}s ({last}): {_tail(server.log)}"
    )


def _tail(log: Path) -> str:
    return log.read_text(errors="replace")[-3000:] if log.exists() else ""


def stop_process(process: subprocess.Popen[bytes]) -> None:
    """Stop a server (``dagster dev``, ``revops serve``) as Ctrl-C does, killing it if it has not
    stopped within 30 s (a loaded machine), and the processes it started (its process group)."""
    if process.poll() is None:
        process.send_signal(signal.SIGINT)  # dagster dev shuts its children down on Ctrl-C
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)  # anything of its group left behind
