"""Where a ``revops`` Dagster command spent its time, read from its stderr event log.

``startup_seconds``: from the process start to RUN_START (dbt parse, importing the
definitions); ``steps``: each Dagster step's own duration; ``after_run_seconds``: from the run's
end to the process exit (the run summary).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

LINE = re.compile(
    r"^(?P<ts>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) [+-]\d{4} - dagster - \w+ - .*?"
    r"(?P<event>RUN_START|RUN_SUCCESS|RUN_FAILURE|STEP_SUCCESS|STEP_FAILURE)\b(?P<rest>.*)$"
)
STEP = re.compile(r'step "(?P<step>[^"]+)"(?: in (?P<duration>[\dhms.]+))?')
DURATION = re.compile(r"(?P<value>[\d.]+)(?P<unit>ms|h|m|s)")
UNIT_SECONDS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0}


def parse_duration(text: str) -> float:
    """Dagster's format_duration back to seconds: '533ms', '2.1s', '4m52s', '1h4m'."""
    return sum(float(m["value"]) * UNIT_SECONDS[m["unit"]] for m in DURATION.finditer(text))


def event_log(out_path: Path, err_path: Path) -> Path:
    """Where a command's Dagster event log is: the file its first lines name (``full log:
    PATH``, the quiet console of `revops run`), else its stderr (older revisions)."""
    try:
        with out_path.open(errors="replace") as out:
            for line in list(out)[:5]:
                if line.startswith("full log: "):
                    return Path(line.removeprefix("full log: ").strip())
    except OSError:
        pass
    return err_path


def breakdown(err_path: Path, started_at: float, ended_at: float) -> dict[str, Any]:
    """Startup, per-step and after-run seconds of one command ({} when no run was logged).

    ``err_path`` is the Dagster event log (see ``event_log``). ``started_at``/``ended_at`` are
    the command's wall-clock start and end (``time.time()``); the log's timestamps have
    one-second resolution.
    """
    try:
        lines = err_path.read_text(errors="replace").splitlines()
    except OSError:
        return {}
    run_start = run_end = None
    steps: dict[str, float] = {}
    failed: list[str] = []
    for line in lines:
        match = LINE.match(line)
        if not match:
            continue
        ts = datetime.strptime(match["ts"], "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC).timestamp()
        event = match["event"]
        if event == "RUN_START" and run_start is None:
            run_start = ts
        elif event in ("RUN_SUCCESS", "RUN_FAILURE"):
            run_end = ts
        else:
            step = STEP.search(match["rest"])
            if step and event == "STEP_SUCCESS" and step["duration"]:
                steps[step["step"]] = round(parse_duration(step["duration"]), 2)
            elif step and event == "STEP_FAILURE":
                failed.append(step["step"])
    if run_start is None:
        return {}
    out: dict[str, Any] = {
        "startup_seconds": round(max(0.0, run_start - started_at), 1),
        "steps": dict(sorted(steps.items(), key=lambda kv: kv[1], reverse=True)),
    }
    if run_end is not None:
        out["run_seconds"] = round(run_end - run_start, 1)
        out["after_run_seconds"] = round(max(0.0, ended_at - run_end), 1)
    if failed:
        out["failed_steps"] = failed
    return out
