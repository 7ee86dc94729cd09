"""The rule models: one dbt view per consistency rule (models/quality/rule_<rule>.sql).

Each view returns its rule's offending rows. What a view fixes when dbt builds it: the as_of
(dbt var, passed with ``--vars`` like every dbt run of revops) and which raw tables the export
holds. The Dagster dbt step builds the rule models with the marts they read, before the asset
checks count them; ``revops check`` (and a test) rebuilds the rules it runs with
``build_rule_models``, so they judge its as_of and the warehouse as it is. Rule options are dbt
vars (dbt_project.yml); a check's ``options`` override them for that build (``--vars``).
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from orchestration.dbt_project import (
    dbt_executable,
    keep_parse_state,
    parse_state,
    restore_parse_state,
    target_dir,
)
from orchestration.quality.config import CheckConfig
from orchestration.run_settings import dbt_vars, resolve_as_of
from orchestration.settings import Settings

#: the schema of the rule views (dbt_project.yml: models.revops.quality.+schema)
SCHEMA = "quality"
RUN_RESULTS = "run_results.json"
TAIL = 2000


def rule_vars(checks: Sequence[CheckConfig], as_of: datetime) -> dict[str, Any]:
    """The run's dbt vars (as_of) and the overrides of the rules' options (checks' options)."""
    merged: dict[str, Any] = dict(dbt_vars(as_of))
    for check in checks:
        merged.update(check.options)
    return merged


def build_command(project_dir: Path, checks: Sequence[CheckConfig], as_of: datetime) -> list[str]:
    """``dbt run`` of the rule models of ``checks`` only (they read what is already built)."""
    cmd = [
        dbt_executable(),
        "run",
        "--project-dir",
        str(project_dir),
        "--profiles-dir",
        str(project_dir),
        "--select",
        *(c.model for c in checks),
    ]
    return [*cmd, "--vars", json.dumps(rule_vars(checks, as_of), sort_keys=True)]


def _failures(run_results: Path, checks: Sequence[CheckConfig]) -> dict[str, str]:
    by_model = {c.model: c.name for c in checks}
    data = json.loads(run_results.read_text())
    failed: dict[str, str] = {}
    for result in data.get("results") or []:
        model = str(result.get("unique_id", "")).rsplit(".", 1)[-1]
        if model in by_model and result.get("status") not in ("success", "pass"):
            message = " ".join(str(result.get("message") or result.get("status")).split())
            failed[by_model[model]] = message
    return failed


def build_rule_models(
    settings: Settings, checks: Sequence[CheckConfig], as_of: datetime | None = None
) -> dict[str, str]:
    """Build the rule models of ``checks`` for ``as_of`` (default: settings.as_of resolved);
    rule name -> why its model did not build.

    A rule whose model fails (a mart it reads is missing, a SQL error) is reported by name, the
    others are built: one broken rule does not hide the rest.
    """
    if not checks:
        return {}
    as_of = resolve_as_of(settings.as_of) if as_of is None else as_of
    target = target_dir(settings.project_dir)
    results = target / RUN_RESULTS
    results.unlink(missing_ok=True)
    # a check's options are vars of their own: start from the parse state of the same ones
    state = parse_state(settings, rule_vars(checks, as_of))
    restore_parse_state(target, state)
    done = subprocess.run(
        build_command(settings.project_dir, checks, as_of),
        env={**os.environ, **settings.to_env()},
        cwd=settings.project_dir,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode == 0:
        keep_parse_state(target, state)
    if results.exists():
        failed = _failures(results, checks)
        if failed or done.returncode == 0:
            return {name: f"{name}: its model did not build: {m}" for name, m in failed.items()}
    output = (done.stdout + done.stderr).strip()[-TAIL:]
    return {c.name: f"{c.name}: dbt run of its model failed: {output}" for c in checks}
