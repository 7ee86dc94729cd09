"""The code location the browser tests load in the Dagster UI: the operations test definitions
(every layer, the schedule and the sensor) on the paths of the REVOPS_* environment."""

from __future__ import annotations

from orchestration.settings import Settings
from tests.ops.defs_factory import build_ops_definitions

defs = build_ops_definitions(Settings.from_env())
