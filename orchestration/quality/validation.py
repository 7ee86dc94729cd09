"""Validating DataFrames with Great Expectations 1.x, and building the run's data docs.

One ephemeral context per run: a pandas datasource with one dataframe asset per check, the
suites loaded from the file project, thresholds passed as suite parameters, and a data docs site
under <reports_dir>/data_docs (a stable path, rebuilt every run). Nothing is written into the
versioned expectations/ folder.

Validation results are kept as JSON under <reports_dir>/gx_results, only the latest one per
check: the docs index then shows the latest verdict of every check even when the suites and
the rules ran in different processes (two Dagster steps), without growing run after run.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path
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

DATASOURCE = "revops_dataframes"
DOCS_SITE = "revops"


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


def _context(docs_dir: Path | None, results_dir: Path | None) -> Any:
    sites = {}
    if docs_dir is not None:
        sites[DOCS_SITE] = {
            "class_name": "SiteBuilder",
            "show_how_to_buttons": False,
            "store_backend": {
                "class_name": "TupleFilesystemStoreBackend",
                "base_directory": str(docs_dir),
            },
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        }
    stores = None
    if results_dir is not None:
        defaults = InMemoryStoreBackendDefaults(init_temp_docs_sites=False)
        stores = dict(defaults.stores)
        stores[defaults.validation_results_store_name] = {
            "class_name": "ValidationResultsStore",
            "store_backend": {
                "class_name": "TupleFilesystemStoreBackend",
                "base_directory": str(results_dir),
            },
        }
    config = DataContextConfig(
        store_backend_defaults=InMemoryStoreBackendDefaults(init_temp_docs_sites=False),
        stores=stores,
        data_docs_sites=sites,
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
        exception = str(info.get("exception_message") or "exception").splitlines()[0]
    return ExpectationOutcome(
        expectation=config.type,
        column=column,
        success=bool(result.success),
        unexpected_count=body.get("unexpected_count"),
        observed_value=_json_safe(body.get("observed_value")),
        examples=_json_safe(list(body.get("partial_unexpected_list") or [])[:5]),
        exception=exception,
    )


class Validator:
    """Validates DataFrames against suites in one ephemeral GX context."""

    def __init__(
        self, docs_dir: Path | None = None, results_dir: Path | None = None, run_name: str = ""
    ) -> None:
        self.docs_dir = docs_dir
        self.results_dir = results_dir if docs_dir is not None else None
        self.run_name = run_name
        self.context = _context(docs_dir, self.results_dir)
        self.datasource = self.context.data_sources.add_pandas(DATASOURCE)
        self._suites: list[str] = []

    def _forget_previous(self, suite_name: str) -> None:
        """Drop older results (and their pages) of this suite: the docs show the latest."""
        for folder in (self.results_dir, self.docs_dir and self.docs_dir / "validations"):
            if folder is not None:
                shutil.rmtree(folder / suite_name, ignore_errors=True)

    def validate(
        self, check: CheckConfig, suite: gx.ExpectationSuite, frame: pd.DataFrame
    ) -> ValidationOutcome:
        """Run the suite on the frame; the check's threshold is the suite parameter."""
        self._forget_previous(suite.name)
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
        self._suites.append(suite.name)
        return ValidationOutcome(
            success=bool(result.success),
            expectations=[_outcome(r) for r in result.results],
        )

    def build_docs(self) -> str | None:
        """Write the data docs site; its index URL (None without a docs dir)."""
        if self.docs_dir is None:
            return None
        self.docs_dir.mkdir(parents=True, exist_ok=True)
        urls = self.context.build_data_docs(site_names=[DOCS_SITE])
        return urls.get(DOCS_SITE)

    def page_urls(self) -> dict[str, str]:
        """suite name -> URL of its latest validation page (after build_docs)."""
        if self.docs_dir is None:
            return {}
        pages: dict[str, str] = {}
        for key in self.context.validation_results_store.list_keys():
            name = key.expectation_suite_identifier.name
            if name not in self._suites:
                continue
            for site in self.context.get_docs_sites_urls(
                resource_identifier=key, site_name=DOCS_SITE, only_if_exists=False
            ):
                if site.get("site_url"):
                    pages[name] = site["site_url"]
        return pages
