"""The quality checks as Dagster asset checks, attached to the assets they guard.

Subsettable ``@multi_asset_check`` steps:

* ``raw_table_suites``: one check per raw table (its GX suite), on the ingestion assets
  [raw_<system>, <table>]; error-severity suites block the dbt build of that table's models.
* ``rules_on_<schema>__<model>``: one step per asset the consistency rules guard (checks.yml
  ``asset``), with one check per rule. A rule's check depends on its dbt model
  ([quality, rule_<rule>], a view the dbt step builds after the marts it reads, so dbt lineage
  says what the rule reads) and counts that view's rows. One step per guarded asset, not one
  for all rules: a step runs after all of its assets. Every check is blocking, so the KPI marts
  downstream wait for the rules on the core marts (the scorecard counts this run's failures);
  only an error-severity failure stops them.

Which asset, severity and threshold belong to a check is read from expectations/checks.yml when
the definitions are built. Both steps run in the ``duckdb_writer`` pool: they append to
the check history (quality.dq_check_results), and DuckDB allows one writer.

(No ``from __future__ import annotations`` here: Dagster inspects the real type of ``context``.)
"""

from collections.abc import Iterator, Sequence
from typing import Any

from dagster import (
    AssetCheckExecutionContext,
    AssetCheckResult,
    AssetChecksDefinition,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetKey,
    MetadataValue,
    multi_asset_check,
)

from orchestration.pools import WRITER_POOL
from orchestration.quality.config import CheckConfig, ChecksConfig, load_config
from orchestration.quality.masking import keys_only, scrub
from orchestration.quality.models import SCHEMA
from orchestration.quality.pages import rows_command
from orchestration.quality.render import markdown_table
from orchestration.quality.result import CheckResult
from orchestration.resources import RevopsResource


def rule_model_key(check: CheckConfig) -> AssetKey:
    """The asset of a rule's dbt model (orchestration/assets/dbt.py keys models [schema, name])."""
    return AssetKey([SCHEMA, check.model])


def check_spec(check: CheckConfig) -> AssetCheckSpec:
    """The Dagster spec of one check.

    Every check is blocking: assets downstream of the guarded one wait for it, so the KPI marts
    (the scorecard's dq_failures) and the report see this run's results. Only a failure with
    severity error stops them (``to_check_result``); a failed warning lets them run.
    """
    asset_key = AssetKey(list(check.asset))
    deps = [rule_model_key(check)] if check.kind == "rule" else []
    return AssetCheckSpec(
        name=check.name,
        asset=asset_key,
        description=describe_check(check),
        additional_deps=deps or None,
        blocking=True,
        metadata={"severity": check.severity, "threshold": check.threshold},
    )


def describe_check(check: CheckConfig) -> str:
    """The check's description, with what its severity means: the Dagster UI calls every
    check "blocking" (they all order the steps after them), but only an error stops anything."""
    text = check.description or f"Great Expectations suite {check.name}"
    if check.severity == "error":
        return f"{text} Severity error: a failure stops the assets downstream."
    return (
        f"{text} Severity {check.severity}: a failure is reported and alerted, and the assets "
        "downstream still run (Dagster shows every check as blocking because the steps after "
        "it wait for its result)."
    )


def check_metadata(result: CheckResult) -> dict[str, Any]:
    """Observed value, threshold, unexpected count, the first offending rows' keys and the links.

    Everything here is stored in the Dagster event log, so it carries keys, not personal data:
    ``sample_keys`` drops the personal columns of the (already masked) sample rows
    (masking.keys_only). The rows themselves, masked, are one click away: ``check_page`` opens
    the check's page (``revops serve``), ``offending_rows`` its rows, and
    ``offending_rows_command`` prints them in a terminal.
    """
    metadata: dict[str, Any] = {
        "status": MetadataValue.text(
            "not applicable" if result.not_applicable else result.status.lower()
        ),
        "severity": result.severity,
        "observed_value": MetadataValue.int(result.observed_value)
        if result.observed_value is not None
        else MetadataValue.text("not measured"),
        "threshold": MetadataValue.int(result.threshold),
        "unexpected_count": MetadataValue.int(result.unexpected_count)
        if result.unexpected_count is not None
        else MetadataValue.text("not measured"),
        "sample_keys": MetadataValue.md(markdown_table(keys_only(result.sample_rows))),
    }
    if result.findings:  # where: table, row keys, column, value (the summary prints the first)
        metadata["findings"] = MetadataValue.md("\n".join(f"- {f}" for f in result.findings[:20]))
        metadata["first_finding"] = MetadataValue.text(result.findings[0])
    if result.error:
        metadata["error"] = MetadataValue.text(scrub(result.error))
    if result.details:
        metadata["failed_expectations"] = MetadataValue.md(
            "\n".join(f"- {scrub(d)}" for d in result.details[:20])
        )
    if result.page_url:
        metadata["check_page"] = MetadataValue.url(result.page_url)
        if result.kind == "rule":
            metadata["offending_rows"] = MetadataValue.url(f"{result.page_url}#offending-rows")
    if result.kind == "rule":
        metadata["offending_rows_command"] = MetadataValue.text(rows_command(result.rule))
    return metadata


def to_check_result(result: CheckResult) -> AssetCheckResult:
    """A CheckResult as Dagster's AssetCheckResult on the asset the check guards."""
    severity = AssetCheckSeverity.ERROR if result.severity == "error" else AssetCheckSeverity.WARN
    return AssetCheckResult(
        asset_key=AssetKey(list(result.asset)),
        check_name=result.rule,
        passed=bool(result.success),
        severity=severity,
        metadata=check_metadata(result),
        description=scrub(result.error or result.description or "") or None,
    )


def _make_check(
    name: str, config: ChecksConfig, checks: Sequence[CheckConfig], description: str
) -> Any:
    @multi_asset_check(
        name=name,
        specs=[check_spec(c) for c in checks],
        can_subset=True,
        description=description,
        pool=WRITER_POOL,
    )
    def _checks(
        context: AssetCheckExecutionContext, revops: RevopsResource
    ) -> Iterator[AssetCheckResult]:
        from orchestration.quality.runner import run_suites

        names = sorted(key.name for key in context.selected_asset_check_keys)
        context.log.info(f"running {len(names)} quality checks: {', '.join(names)}")
        # the dbt step built the rule models of this run (they are this step's dependencies)
        for result in run_suites(
            revops.settings(),
            run_id=context.run.run_id,
            checks=names,
            config=config,
            as_of=revops.run_as_of(context),
            build_rules=False,
        ):
            if result.not_applicable:
                context.log.info(f"N/A {result.rule}: {result.description}")
            elif not result.success:
                context.log.info(
                    f"{result.status} {result.rule}: observed {result.observed_value} "
                    f"(threshold {result.threshold}) {scrub(result.error or '')}".strip()
                )
            yield to_check_result(result)

    return _checks


def build_quality_checks(config: ChecksConfig | None = None) -> list[AssetChecksDefinition]:
    """The asset checks of every suite and rule in expectations/checks.yml."""
    config = config or load_config()
    definitions: list[AssetChecksDefinition] = []
    if config.suites:
        definitions.append(
            _make_check(
                "raw_table_suites",
                config,
                config.suites,
                "Great Expectations suites of the raw tables (keys, nulls, values, ranges).",
            )
        )
    by_asset: dict[tuple[str, ...], list[CheckConfig]] = {}
    for rule in config.rules:
        by_asset.setdefault(rule.asset, []).append(rule)
    for asset, rules in by_asset.items():
        definitions.append(
            _make_check(
                "rules_on_" + "__".join(asset),
                config,
                rules,
                f"Consistency rules guarding {'/'.join(asset)}: "
                + ", ".join(r.name for r in rules),
            )
        )
    return definitions
