"""The expectation suites of the GX file project (expectations/gx/expectations/*.json).

Suites are read from their JSON (GX's own serialisation) rather than through a file context, so
a run never writes into the versioned project; tests check that the file context loads the same
suites. The cross-system suite holds one expectation per rule (``meta.rule``); each rule is
validated on its own DataFrame with only its expectations.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import great_expectations as gx

from orchestration.quality.config import CROSS_SYSTEM_SUITE, SUITES_DIR, CheckConfig

COLUMN_KWARGS = ("column", "column_A", "column_B")


class SuiteError(ValueError):
    """A suite file is missing or does not cover a check."""


def suite_path(name: str, suites_dir: Path = SUITES_DIR) -> Path:
    """The JSON file of a suite."""
    return suites_dir / f"{name}.json"


def load_suite_dict(name: str, suites_dir: Path = SUITES_DIR) -> dict[str, Any]:
    """A suite's JSON as a dict (errors name the file)."""
    path = suite_path(name, suites_dir)
    try:
        return json.loads(path.read_text())
    except FileNotFoundError:
        raise SuiteError(f"suite {name}: {path} does not exist") from None
    except json.JSONDecodeError as exc:
        raise SuiteError(f"suite {name}: {path} is not valid JSON: {exc}") from exc


def suite_name(check: CheckConfig) -> str:
    """The name of the suite validating one check (a rule's part of cross_system has its own)."""
    return f"{CROSS_SYSTEM_SUITE}__{check.name}" if check.kind == "rule" else check.name


def suite_for(check: CheckConfig, suites_dir: Path = SUITES_DIR) -> gx.ExpectationSuite:
    """The GX suite that validates one check (for a rule: its part of cross_system)."""
    data = load_suite_dict(check.suite_name, suites_dir)
    expectations = data.get("expectations") or []
    if check.kind == "rule":
        expectations = [e for e in expectations if (e.get("meta") or {}).get("rule") == check.name]
    if not expectations:
        raise SuiteError(
            f"{check.name}: suite {check.suite_name} ({suite_path(check.suite_name, suites_dir)})"
            " has no expectation for it"
        )
    return gx.ExpectationSuite(
        name=suite_name(check),
        expectations=[dict(e) for e in expectations],
        meta=dict(data.get("meta") or {}),
    )


def suite_columns(suite: gx.ExpectationSuite) -> list[str]:
    """Every column the suite's expectations read, in first-use order."""
    columns: list[str] = []
    for expectation in suite.expectations:
        kwargs = expectation.configuration.kwargs
        names = [kwargs[k] for k in COLUMN_KWARGS if kwargs.get(k)]
        names += list(kwargs.get("column_list") or [])
        for column in names:
            if column not in columns:
                columns.append(column)
    return columns


def without_columns(suite: gx.ExpectationSuite, columns: set[str]) -> gx.ExpectationSuite:
    """The suite minus the expectations that read any of ``columns`` (absent from the table).

    A contract column a real export does not have cannot be checked; the runner says which.
    """
    kept = []
    for expectation in suite.expectations:
        kwargs = expectation.configuration.kwargs
        names = {kwargs[k] for k in COLUMN_KWARGS if kwargs.get(k)}
        names |= set(kwargs.get("column_list") or [])
        if not names & columns:
            kept.append(expectation.configuration.to_json_dict())
    return gx.ExpectationSuite(name=suite.name, expectations=kept, meta=dict(suite.meta or {}))
