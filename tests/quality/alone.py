"""One check run alone on a warehouse as it is, with another threshold or other options of
expectations/checks.yml: no history row, no check page."""

from __future__ import annotations

from dataclasses import replace

from orchestration.quality.config import load_config
from orchestration.quality.result import CheckResult
from orchestration.quality.runner import run_suites
from orchestration.settings import Settings


def run_alone(
    settings: Settings,
    rule: str,
    *,
    build_rules: bool = True,
    threshold: int | None = None,
    **options: object,
) -> CheckResult:
    """The result of ``rule`` alone, at ``threshold`` (default: the configured one) and with
    ``options`` over its configured ones. ``build_rules``: rebuild the rule's dbt model first
    (needed when options, which are dbt vars, change what it selects)."""
    config = load_config()
    check = config.get(rule)
    if threshold is not None:
        check = replace(check, threshold=threshold)
    if options:
        check = replace(check, options={**check.options, **options})
    (result,) = run_suites(
        settings,
        checks=[rule],
        config=replace(config, rules=(check,), suites=()),
        write_history=False,
        write_check_pages=False,
        build_rules=build_rules,
    )
    return result
