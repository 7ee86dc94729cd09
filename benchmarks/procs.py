"""Run one pipeline step as a subprocess and measure its wall time and peak memory.

Two memory figures, both of the step's whole process tree:

- ``max_process_rss_gib``: the kernel's peak RSS of the largest single process in the tree
  (``os.wait4`` on the step's process returns its own peak and the peak of every descendant it
  waited for, which is every descendant of a well-behaved command);
- ``tree_rss_gib``: the peak of the *sum* of the RSS of all live processes of the tree, sampled
  from /proc every ``SAMPLE_SECONDS`` (catches a parent and a child that are big at the same
  time; shared pages count once per process, so it errs on the high side).

``peak_rss_gib`` is the larger of the two: the figure the targets are checked against.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

GIB = 1024**3
SAMPLE_SECONDS = 0.2
HEARTBEAT_SECONDS = 30.0
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")


class StepFailed(RuntimeError):
    """A measured step exited with an unexpected code or timed out."""

    def __init__(self, step: str, message: str, tail: str = "") -> None:
        text = f"step {step!r} failed: {message}"
        if tail:
            text += f"\n--- last output of {step} ---\n{tail}"
        super().__init__(text)
        self.step = step
        self.tail = tail


@dataclass
class StepResult:
    """What one measured step cost."""

    name: str
    seconds: float
    peak_rss_gib: float
    max_process_rss_gib: float
    tree_rss_gib: float
    exit_code: int
    command: list[str] = field(default_factory=list)
    stdout_path: str = ""
    stderr_path: str = ""
    note: str = ""
    load_avg: float = 0.0
    started_at: float = 0.0
    ended_at: float = 0.0
    breakdown: dict[str, object] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        return {
            "seconds": round(self.seconds, 3),
            "peak_rss_gib": round(self.peak_rss_gib, 4),
            "max_process_rss_gib": round(self.max_process_rss_gib, 4),
            "tree_rss_gib": round(self.tree_rss_gib, 4),
            "exit_code": self.exit_code,
            "load_avg_1m": round(self.load_avg, 2),
            "command": " ".join(self.command),
            **({"note": self.note} if self.note else {}),
            **({"breakdown": self.breakdown} if self.breakdown else {}),
        }


def _children_map() -> dict[int, list[int]]:
    """ppid -> pids of every process visible in /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as fh:
                stat = fh.read()
        except OSError:
            continue
        # the command name (field 2) may contain spaces and parentheses: split after the last ')'
        fields = stat[stat.rfind(b")") + 2 :].split()
        children.setdefault(int(fields[1]), []).append(int(entry.name))
    return children


def tree_pids(root: int) -> list[int]:
    """``root`` and all its live descendants."""
    children = _children_map()
    pids, stack = [], [root]
    while stack:
        pid = stack.pop()
        pids.append(pid)
        stack.extend(children.get(pid, ()))
    return pids


def tree_rss_bytes(root: int) -> int:
    """Sum of the resident set sizes of ``root`` and its descendants."""
    total = 0
    for pid in tree_pids(root):
        try:
            with open(f"/proc/{pid}/statm", "rb") as fh:
                total += int(fh.read().split()[1]) * PAGE_SIZE
        except (OSError, IndexError, ValueError):
            continue
    return total


class _Sampler(threading.Thread):
    """Samples the tree RSS of a process until stopped; prints a heartbeat for long steps."""

    def __init__(self, pid: int, label: str, log: Path, echo: Callable[[str], None]) -> None:
        super().__init__(daemon=True)
        self.pid, self.label, self.log, self.echo = pid, label, log, echo
        self.peak = 0
        self.stop = threading.Event()

    def run(self) -> None:
        started = time.monotonic()
        next_beat = started + HEARTBEAT_SECONDS
        while not self.stop.wait(SAMPLE_SECONDS):
            rss = tree_rss_bytes(self.pid)
            self.peak = max(self.peak, rss)
            now = time.monotonic()
            if now >= next_beat:
                next_beat = now + HEARTBEAT_SECONDS
                last = tail_text(self.log, lines=1).strip()[:100]
                self.echo(
                    f"    ... {self.label}: {now - started:.0f}s, {rss / GIB:.2f} GiB"
                    + (f" | {last}" if last else "")
                )


def tail_text(path: Path, lines: int = 25, max_bytes: int = 64_000) -> str:
    """The last ``lines`` lines of a text file ('' when it does not exist)."""
    try:
        with open(path, "rb") as fh:
            fh.seek(0, os.SEEK_END)
            size = fh.tell()
            fh.seek(max(0, size - max_bytes))
            data = fh.read().decode("utf-8", "replace")
    except OSError:
        return ""
    return "\n".join(data.splitlines()[-lines:])


def run_step(
    name: str,
    cmd: Sequence[str],
    *,
    log_dir: Path,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    timeout: float = 7200.0,
    ok_codes: Sequence[int] = (0,),
    echo: Callable[[str], None] = print,
) -> StepResult:
    """Run ``cmd``, wait for it, and return its cost; raise ``StepFailed`` on a bad exit.

    stdout and stderr go to ``log_dir/<name>.out`` and ``.err``; a failure message carries the
    tail of both. The command runs in its own session so a timeout kills its whole tree.
    """
    log_dir.mkdir(parents=True, exist_ok=True)
    out_path, err_path = log_dir / f"{name}.out", log_dir / f"{name}.err"
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        started, started_at = time.monotonic(), time.time()
        try:
            proc = subprocess.Popen(
                list(cmd),
                stdout=out,
                stderr=err,
                stdin=subprocess.DEVNULL,
                env=dict(env) if env is not None else None,
                cwd=cwd,
                start_new_session=True,
            )
        except OSError as exc:
            raise StepFailed(name, f"could not start {cmd[0]}: {exc}") from exc
        sampler = _Sampler(proc.pid, name, out_path, echo)
        sampler.start()
        timer = threading.Timer(timeout, _kill_group, args=(proc.pid,))
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
            sampler.stop.set()
            sampler.join()
        seconds = time.monotonic() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    max_process = usage.ru_maxrss * 1024 / GIB  # Linux reports KiB
    tree = sampler.peak / GIB
    result = StepResult(
        name=name,
        seconds=seconds,
        peak_rss_gib=max(max_process, tree),
        max_process_rss_gib=max_process,
        tree_rss_gib=tree,
        exit_code=proc.returncode,
        load_avg=os.getloadavg()[0],
        started_at=started_at,
        ended_at=time.time(),
        command=[str(c) for c in cmd],
        stdout_path=str(out_path),
        stderr_path=str(err_path),
    )
    if proc.returncode not in ok_codes:
        why = (
            f"timed out after {timeout:.0f}s"
            if seconds >= timeout and proc.returncode < 0
            else f"exit code {proc.returncode}"
        )
        raise StepFailed(
            name,
            f"{why} after {seconds:.1f}s: {' '.join(result.command)}",
            failure_tail(out_path, err_path),
        )
    return result


def failure_tail(out_path: Path, err_path: Path, lines: int = 25) -> str:
    """The end of stderr, and of stdout (dbt reports errors there)."""
    parts = []
    for label, path in (("stderr", err_path), ("stdout", out_path)):
        text = tail_text(path, lines)
        if text.strip():
            parts.append(f"[{label}: {path}]\n{text}")
    return "\n".join(parts)


def _kill_group(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)
