"""Dagster resources: the one place assets get their settings from."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from dagster import ConfigurableResource

from orchestration.run_settings import as_of_from_tags, resolve_as_of
from orchestration.settings import Settings


class RevopsResource(ConfigurableResource):
    """Project settings for assets, checks and sensors.

    Empty fields fall back to the environment (``Settings.from_env``), so the Dagster UI, the
    CLI and tests share one configuration path; tests override fields explicitly.
    """

    target: str = ""
    duckdb_path: str = ""
    landing_dir: str = ""
    reports_dir: str = ""
    serving_path: str = ""
    as_of: str = ""
    pages_url: str = ""

    def settings(self) -> Settings:
        """The effective settings: explicit fields over environment variables."""
        base = Settings.from_env()
        changes: dict[str, object] = {}
        if self.target:
            changes["target"] = self.target
        for name in ("duckdb_path", "landing_dir", "reports_dir", "serving_path"):
            value = getattr(self, name)
            if value:
                changes[name] = base.project_dir / value
        if self.as_of:
            changes["as_of"] = self.as_of
        if self.pages_url:
            changes["pages_url"] = self.pages_url
        return base.with_(**changes) if changes else base

    def run_as_of(self, context: Any) -> datetime:
        """The as_of of the run ``context`` belongs to: the same instant in every step.

        The run's ``revops/as_of`` tag (stamped by the CLI, the schedule and the sensor); for a
        run launched without it (the UI's Materialize, a backfill), the configured as_of
        (``as_of`` field, REVOPS_AS_OF), else the time the run was created. Never a step's own
        clock.
        """
        stamped = as_of_from_tags(context.run.tags)
        if stamped is not None:
            return stamped
        configured = self.settings().as_of
        if configured.strip():
            return resolve_as_of(configured)
        record = context.instance.get_run_record_by_id(context.run.run_id)
        if record is None:  # not stored: cannot happen for a launched run
            raise RuntimeError(f"run {context.run.run_id} has no record: no as_of to use")
        return resolve_as_of(None, now=record.create_timestamp)  # to the second
