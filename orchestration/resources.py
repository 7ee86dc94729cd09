"""Dagster resources: the one place assets get their settings from."""

from __future__ import annotations

from dagster import ConfigurableResource

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
    as_of: str = ""

    def settings(self) -> Settings:
        """The effective settings: explicit fields over environment variables."""
        base = Settings.from_env()
        changes: dict[str, object] = {}
        if self.target:
            changes["target"] = self.target
        for name in ("duckdb_path", "landing_dir", "reports_dir"):
            value = getattr(self, name)
            if value:
                changes[name] = base.project_dir / value
        if self.as_of:
            changes["as_of"] = self.as_of
        return base.with_(**changes) if changes else base
