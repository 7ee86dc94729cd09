"""What `revops run` prints while a job runs: one line per step, the failed checks, a heartbeat.

Dagster's console logger prints every event at DEBUG (about 1,700 lines for a demo run, most
of them "Type check passed"), which buries the warnings. A CLI run instead gets two Dagster
loggers (selected through the run config, so runs launched from the UI keep Dagster's own):

* ``revops_file`` writes the full Dagster log, DEBUG included, to a file whose path the CLI
  prints before the run starts;
* ``revops_progress`` prints one line per finished step with its duration and outcome, each
  failed blocking (error) check with its counts as it happens (the run summary lists every
  finding), warnings and errors logged by the steps, and a heartbeat while a step runs longer
  than ``HEARTBEAT_SECONDS``.

What the steps print themselves (dagster-dbt re-emits dbt's whole log on stdout) goes to the
same file (``printed_into``). ``revops run --verbose`` prints both, as Dagster does.
"""

from __future__ import annotations

import contextlib
import logging
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

from dagster import LoggerDefinition, colored_console_logger, logger

HEARTBEAT_SECONDS = 30.0
#: ``context.log.info(message, extra=CONSOLE)``: an INFO line a step wants on the CLI's console
#: (e.g. the loader's line per table); other INFO lines go to the log file only.
CONSOLE = {"revops_console": True}
# The log file's lines read like Dagster's own console lines (UTC), so tools that parse those
# (benchmarks/dagster_log.py) read the file too.
FILE_FORMAT = "%(asctime)s - dagster - %(levelname)s - %(message)s"
FILE_DATE_FORMAT = "%Y-%m-%d %H:%M:%S +0000"


def _event(record: logging.LogRecord) -> Any:
    meta = getattr(record, "dagster_meta", None) or {}
    return meta.get("dagster_event")


def first_line(text: object, limit: int = 200) -> str:
    """The first non-blank line of a message or an exception, cut at ``limit``."""
    line = next((part.strip() for part in str(text).splitlines() if part.strip()), "")
    return line if len(line) <= limit else line[: limit - 3] + "..."


def metadata_value(metadata: Any, key: str) -> Any:
    """A value of Dagster metadata, unwrapped from its MetadataValue (None when absent)."""
    value = (metadata or {}).get(key)
    return getattr(value, "value", value)


def _root_cause(event: Any) -> str:
    """The message of the innermost error of a step failure (Dagster wraps the user's error)."""
    error = getattr(event.event_specific_data, "error", None)
    message = ""
    while error is not None:
        message = getattr(error, "message", "") or message
        error = getattr(error, "cause", None)
    return message


class StepProgress(logging.Handler):
    """Turns Dagster's structured log records into a few readable console lines."""

    def __init__(self, out: TextIO | None = None, heartbeat: float = HEARTBEAT_SECONDS) -> None:
        super().__init__(level=logging.DEBUG)  # Dagster logs step events at DEBUG
        self.out = out
        self.heartbeat = heartbeat
        self.started: dict[str, float] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._ticker: threading.Thread | None = None

    def _print(self, line: str) -> None:
        with self._lock:
            print(line, file=self.out or sys.stdout, flush=True)

    def emit(self, record: logging.LogRecord) -> None:
        event = _event(record)
        if event is None:
            meta = getattr(record, "dagster_meta", None) or {}
            message = meta.get("orig_message", record.getMessage())
            if record.levelno >= logging.WARNING:
                level = "error" if record.levelno >= logging.ERROR else "warning"
                self._print(f"        {level}: {first_line(message)}")
            elif getattr(record, "revops_console", False):
                self._print(f"        {first_line(message, limit=400)}")
            return
        kind = event.event_type_value
        step = event.step_key or ""
        if kind == "STEP_START":
            self.started[step] = time.monotonic()
            self._start_ticker()
        elif kind in ("STEP_SUCCESS", "STEP_FAILURE"):
            seconds = time.monotonic() - self.started.pop(step, time.monotonic())
            outcome = "ok  " if kind == "STEP_SUCCESS" else "FAIL"
            line = f"  {outcome}  {step:<48} {seconds:7.1f}s"
            if kind == "STEP_FAILURE":
                line += f"\n        {first_line(_root_cause(event) or event.message or '')}"
            self._print(line)
        elif kind == "ASSET_CHECK_EVALUATION":
            evaluation = event.event_specific_data
            if evaluation.passed:
                return
            status = metadata_value(evaluation.metadata, "status")
            if status == "not applicable":
                return
            severity = "warn" if getattr(evaluation.severity, "value", "") == "WARN" else "error"
            if severity == "warn":
                return  # the summary lists every finding; a blocking one is news now
            observed = metadata_value(evaluation.metadata, "observed_value")
            threshold = metadata_value(evaluation.metadata, "threshold")
            counts = "" if observed is None else f": {observed} offending (threshold {threshold})"
            self._print(
                f"        failed check {evaluation.asset_key.to_user_string()}:"
                f"{evaluation.check_name} ({severity}){counts}"
            )

    def _start_ticker(self) -> None:
        if self._ticker is None and self.heartbeat > 0:
            self._ticker = threading.Thread(target=self._tick, daemon=True)
            self._ticker.start()

    def _tick(self) -> None:
        while not self._stop.wait(self.heartbeat):
            now = time.monotonic()
            for step, since in list(self.started.items()):
                if now - since >= self.heartbeat:
                    self._print(f"  ...   {step:<48} {now - since:7.0f}s so far")

    def close(self) -> None:
        self._stop.set()
        super().close()


def _file_logger(path: Path) -> LoggerDefinition:
    @logger(description="The full Dagster log of a CLI run, DEBUG included, in a file.")
    def revops_file(_init_context: Any) -> logging.Logger:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.FileHandler(path, encoding="utf-8")
        formatter = logging.Formatter(FILE_FORMAT, FILE_DATE_FORMAT)
        formatter.converter = time.gmtime
        handler.setFormatter(formatter)
        log = logging.Logger("revops.run.file", level=logging.DEBUG)
        log.addHandler(handler)
        return log

    return revops_file


def _progress_logger(out: TextIO | None) -> LoggerDefinition:
    @logger(description="One console line per step, the failed checks and a heartbeat.")
    def revops_progress(_init_context: Any) -> logging.Logger:
        log = logging.Logger("revops.run.progress", level=logging.DEBUG)
        log.addHandler(StepProgress(out))
        return log

    return revops_progress


def cli_loggers(
    log_path: Path, verbose: bool = False, out: TextIO | None = None
) -> tuple[dict[str, LoggerDefinition], dict[str, Any]]:
    """(logger definitions for ``JobDefinition.with_logger_defs``, run config selecting them)."""
    definitions: dict[str, LoggerDefinition] = {
        "console": colored_console_logger,
        "revops_file": _file_logger(log_path),
        "revops_progress": _progress_logger(out),
    }
    selected: dict[str, Any] = {"revops_file": {}}
    if verbose:
        selected["console"] = {"config": {"log_level": "DEBUG"}}
    else:
        selected["revops_progress"] = {}
    return definitions, {"loggers": selected}


@contextlib.contextmanager
def printed_into(path: Path) -> Iterator[None]:
    """Send what the steps print to stdout (dbt's log, through dagster-dbt) to the log file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with (
        path.open("a", encoding="utf-8", buffering=1) as stream,
        contextlib.redirect_stdout(stream),
    ):
        yield
