"""Validating DataFrames with Great Expectations 1.x.

One ephemeral context per run: a pandas datasource with one dataframe asset per check, the
suites loaded from the file project, thresholds passed as suite parameters. Nothing is written
to disk: GX's data docs site (static pages that load their styles and scripts from CDNs, opened
through file:// links a web UI cannot follow) is replaced by the check pages revops serves
(orchestration/quality/pages.py). Examples of unexpected values are masked
(orchestration/quality/masking.py) before they leave this module.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import great_expectations as gx
import pandas as pd
from great_expectations.core.run_identifier import RunIdentifier
from great_expectations.data_context.types.base import (
    DataContextConfig,
    InMemoryStoreBackendDefaults,
    ProgressBarsConfig,
)

from orchestration.quality.config import CheckConfig
from orchestration.quality.masking import mask_value, scrub

DATASOURCE = "revops_dataframes"


@dataclass
class ExpectationOutcome:
    """One expectation's verdict, flattened for people and metadata."""

    expectation: str
    column: str | None
    success: bool
    unexpected_count: int | None
    observed_value: Any
    examples: list[Any] = field(default_factory=list)
    exception: str | None = None

    def describe(self) -> str:
        """One line: what failed and how much."""
        target = f"{self.column}: " if self.column else ""
        if self.exception:
            return f"{target}{self.expectation} raised {self.exception}"
        how = (
            f"{self.unexpected_count} unexpected"
            if self.unexpected_count is not None
            else f"observed {self.observed_value}"
        )
        examples = f" e.g. {self.examples[:3]}" if self.examples else ""
        return f"{target}{self.expectation} - {how}{examples}"


@dataclass
class ValidationOutcome:
    """A suite's verdict on one DataFrame."""

    success: bool
    expectations: list[ExpectationOutcome]

    @property
    def failed(self) -> list[ExpectationOutcome]:
        """The expectations that did not pass."""
        return [e for e in self.expectations if not e.success]


def _context() -> Any:
    config = DataContextConfig(
        store_backend_defaults=InMemoryStoreBackendDefaults(init_temp_docs_sites=False),
        analytics_enabled=False,
        progress_bars=ProgressBarsConfig(globally=False),
    )
    return gx.get_context(mode="ephemeral", project_config=config)


def _json_safe(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return [_json_safe(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def _outcome(result: Any) -> ExpectationOutcome:
    config = result.expectation_config
    kwargs = config.kwargs
    column = kwargs.get("column") or (
        ",".join(kwargs["column_list"]) if kwargs.get("column_list") else None
    )
    if column is None and kwargs.get("column_A"):
        column = f"{kwargs['column_A']},{kwargs['column_B']}"
    body = result.result or {}
    info = result.exception_info or {}
    exception = None
    if info.get("raised_exception"):
        exception = scrub(str(info.get("exception_message") or "exception").splitlines()[0])
    return ExpectationOutcome(
        expectation=config.type,
        column=column,
        success=bool(result.success),
        unexpected_count=body.get("unexpected_count"),
        observed_value=_json_safe(body.get("observed_value")),
        examples=[
            mask_value(column, v)
            for v in _json_safe(list(body.get("partial_unexpected_list") or [])[:5])
        ],
        exception=exception,
    )


class Validator:
    """Validates DataFrames against suites in one ephemeral GX context."""

    def __init__(self, run_name: str = "") -> None:
        self.run_name = run_name
        self.context = _context()
        self.datasource = self.context.data_sources.add_pandas(DATASOURCE)

    def validate(
        self, check: CheckConfig, suite: gx.ExpectationSuite, frame: pd.DataFrame
    ) -> ValidationOutcome:
        """Run the suite on the frame; the check's threshold is the suite parameter."""
        asset = self.datasource.add_dataframe_asset(check.name)
        batch_definition = asset.add_batch_definition_whole_dataframe("whole_dataframe")
        suite = self.context.suites.add(suite)
        definition = self.context.validation_definitions.add(
            gx.ValidationDefinition(name=check.name, data=batch_definition, suite=suite)
        )
        result = definition.run(
            batch_parameters={"dataframe": frame},
            expectation_parameters={"threshold": check.threshold},
            result_format={"result_format": "SUMMARY", "partial_unexpected_count": 5},
            run_id=RunIdentifier(run_name=self.run_name or None),
        )
        return ValidationOutcome(
            success=bool(result.success),
            expectations=[_outcome(r) for r in result.results],
        )
