"""A `revops run` that waits says for what, gives up after a bound, and stops on SIGTERM.

Every step that writes the warehouse takes the slot of the pool ``duckdb_writer`` (limit 1).
While another run holds it, Dagster's in-process executor loops until the slot is free, with
no bound, and it only looks at a SIGTERM or SIGINT when a step starts: a run stuck behind
another would wait forever and could not be stopped but by SIGKILL.

A watchdog thread beside the execution watches the pool. When this run has a step waiting
for the slot it says so once, naming the run and step that hold it; after
``REVOPS_POOL_WAIT_SECONDS`` (default 3600) of waiting it marks the run failed with that
message. When a SIGTERM or SIGINT arrives while the run waits, it marks the run canceled. Either
way it then interrupts the execution (the main thread gets Dagster's own
``DagsterExecutionInterruptedError``, what a Ctrl-C inside a step raises), the executor releases
the pending claim, and the CLI frees whatever slot the run still holds.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

POOL_WAIT_ENV = "REVOPS_POOL_WAIT_SECONDS"
DEFAULT_POOL_WAIT_SECONDS = 3600.0
POLL_SECONDS = 0.5
#: A SIGTERM that Dagster has not acted on for this long is the watchdog's to act on (Dagster
#: raises a pending interrupt itself when the next step starts).
INTERRUPT_GRACE_SECONDS = 1.0


def pool_wait_seconds_from_env(env: Mapping[str, str] | None = None) -> float:
    """REVOPS_POOL_WAIT_SECONDS: how long a run waits for a pool slot before it gives up."""
    env = os.environ if env is None else env
    text = env.get(POOL_WAIT_ENV) or str(DEFAULT_POOL_WAIT_SECONDS)
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"{POOL_WAIT_ENV}={text!r} is not a number of seconds") from None
    if value <= 0:
        raise ValueError(f"{POOL_WAIT_ENV}={text!r} must be more than 0")
    return value


@dataclass
class Stop:
    """Why the watchdog stopped the run: ``canceled`` (a signal) or failed (the wait bound)."""

    message: str
    canceled: bool


def _interrupt_main_thread() -> None:
    """Raise Dagster's interrupt in the main thread (where the executor loops)."""
    from dagster._core.errors import DagsterExecutionInterruptedError

    ident = threading.main_thread().ident
    if ident is not None:
        ctypes.pythonapi.PyThreadState_SetAsyncExc(
            ctypes.c_ulong(ident), ctypes.py_object(DagsterExecutionInterruptedError)
        )


def _signal_pending() -> bool:
    """Whether a SIGTERM/SIGINT arrived that Dagster captured and has not acted on yet."""
    from dagster._utils.interrupts import check_captured_interrupt

    return check_captured_interrupt()


class RunGuard:
    """Watch one run while it executes in this process (a context manager around it)."""

    def __init__(
        self,
        instance: Any,
        run_id: str,
        pool: str,
        bound_seconds: float,
        say: Callable[[str], None],
        signal_pending: Callable[[], bool] = _signal_pending,
        interrupt: Callable[[], None] = _interrupt_main_thread,
        poll_seconds: float = POLL_SECONDS,
    ) -> None:
        self.instance = instance
        self.run_id = run_id
        self.pool = pool
        self.bound = bound_seconds
        self.say = say
        self.signal_pending = signal_pending
        self.interrupt = interrupt
        self.poll = poll_seconds
        self.stopped: Stop | None = None
        self._announced: set[str] = set()
        self._signal_since: float | None = None
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="revops-run-guard", daemon=True)

    def __enter__(self) -> RunGuard:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._done.set()
        self._thread.join(timeout=10)

    def _watch(self) -> None:
        while not self._done.wait(self.poll):
            try:
                stop = self.check()
            except Exception as exc:  # never take the run down for a failed look at the pool
                self.say(f"run guard: cannot read pool {self.pool}: {type(exc).__name__}")
                continue
            if stop is not None:
                self._stop(stop)
                return

    def waiting_since(self) -> tuple[datetime | None, str]:
        """When this run's oldest waiting step started waiting for the pool, and who holds it."""
        info = self.instance.event_log_storage.get_concurrency_info(self.pool)
        mine = [
            step
            for step in info.pending_steps
            if step.run_id == self.run_id and step.assigned_timestamp is None
        ]
        if not mine:
            return None, ""
        holders = [s for s in info.claimed_slots if s.run_id != self.run_id]
        held = ", ".join(f"run {s.run_id} (step {s.step_key})" for s in holders) or "another run"
        oldest = min(step.enqueued_timestamp for step in mine)
        if oldest.tzinfo is None:
            oldest = oldest.replace(tzinfo=UTC)
        steps = ", ".join(sorted(step.step_key for step in mine))
        return oldest, f"step {steps} waits for the slot of pool {self.pool}, held by {held}"

    def check(self, now: float | None = None) -> Stop | None:
        """One look: say what the run waits for; a Stop when it must end."""
        now = time.time() if now is None else now
        if self.signal_pending():
            self._signal_since = self._signal_since or now
        else:
            self._signal_since = None
        since, what = self.waiting_since()
        if since is None:
            return None
        if what not in self._announced:
            self._announced.add(what)
            self.say(f"{what}; giving up after {self.bound:.0f} s ({POOL_WAIT_ENV})")
        if self._signal_since is not None and now - self._signal_since >= INTERRUPT_GRACE_SECONDS:
            return Stop(f"terminated by a signal while {what}", canceled=True)
        waited = now - since.timestamp()
        if waited > self.bound:
            return Stop(
                f"gave up after waiting {waited:.0f} s: {what} (the bound is {self.bound:.0f} s, "
                f"{POOL_WAIT_ENV}); stop that run if it is stuck (README, Operations)",
                canceled=False,
            )
        return None

    def _stop(self, stop: Stop) -> None:
        self.stopped = stop
        run = self.instance.get_run_by_id(self.run_id)
        if run is not None:
            if stop.canceled:
                self.instance.report_run_canceling(run, message=stop.message)
            else:
                self.instance.report_run_failed(run, stop.message)
        self.interrupt()

    def release(self) -> None:
        """Free every pool slot and pending claim this run still has."""
        self.instance.event_log_storage.free_concurrency_slots_for_run(self.run_id)


@contextlib.contextmanager
def _no_busy_wait() -> Iterator[None]:
    """Let a run blocked on a pool sleep until its next claim attempt instead of spinning.

    Dagster's in-process executor sleeps ``interval_to_next_pending_claim_check()`` between
    attempts, which returns ``min(0, ...)``: never positive, so a blocked run loops on a CPU.
    Within this context it is the time to the soonest attempt (at most ``POLL_SECONDS``, so a
    signal or the bound still acts within a second). Without that private hook (another
    Dagster version), nothing is changed.
    """
    try:
        from dagster._core.execution.plan.instance_concurrency_context import (
            InstanceConcurrencyContext as Context,
        )
    except ImportError:  # pragma: no cover - another Dagster layout
        yield
        return
    original = getattr(Context, "interval_to_next_pending_claim_check", None)
    if original is None or not hasattr(Context, "__init__"):  # pragma: no cover
        yield
        return

    def interval(self: Any) -> float:
        pending = getattr(self, "_pending_timeouts", None) or {}
        if not getattr(self, "_pending_claims", None) or not pending:
            return 0.0
        return min(max(0.0, min(pending.values()) - time.time()), POLL_SECONDS)

    Context.interval_to_next_pending_claim_check = interval
    try:
        yield
    finally:
        Context.interval_to_next_pending_claim_check = original


def execute_guarded(
    job: Any,
    instance: Any,
    run_id: str,
    pool: str,
    bound_seconds: float,
    say: Callable[[str], None],
    **execute: Any,
) -> tuple[Any, Stop | None]:
    """``job.execute_in_process`` under a RunGuard: (the result, why the guard stopped it).

    When the guard stopped the run, its pool slots and claims are freed before returning.
    """
    with RunGuard(instance, run_id, pool, bound_seconds, say) as guard, _no_busy_wait():
        result = job.execute_in_process(
            instance=instance, raise_on_error=False, run_id=run_id, **execute
        )
    if guard.stopped is not None:
        guard.release()
    return result, guard.stopped
