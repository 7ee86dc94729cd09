"""A tiny code location for the alert-daemon tests: two jobs whose checks always fail.

``warn_probe`` succeeds with a failed warning check; ``error_probe`` fails on a failed blocking
check. The sensors are the project's own (orchestration/alerts.py), ticking every second.
"""

from __future__ import annotations

from dagster import (
    AssetCheckResult,
    AssetCheckSeverity,
    Definitions,
    asset,
    asset_check,
    define_asset_job,
)

from orchestration.alerts import build_alert_sensors


def _failed(severity: AssetCheckSeverity, offending: int) -> AssetCheckResult:
    return AssetCheckResult(
        passed=False,
        severity=severity,
        metadata={"severity": severity.value.lower(), "observed_value": offending, "threshold": 0},
    )


@asset
def quiet_source() -> int:
    return 1


@asset_check(asset=quiet_source)
def probe_warning() -> AssetCheckResult:
    return _failed(AssetCheckSeverity.WARN, 3)


@asset
def loud_source() -> int:
    return 1


@asset_check(asset=loud_source, blocking=True)
def probe_error() -> AssetCheckResult:
    return _failed(AssetCheckSeverity.ERROR, 5)


@asset(deps=[loud_source])
def after_loud() -> int:
    return 2


defs = Definitions(
    assets=[quiet_source, loud_source, after_loud],
    asset_checks=[probe_warning, probe_error],
    jobs=[
        define_asset_job("warn_probe", selection=[quiet_source]),
        define_asset_job("error_probe", selection=[loud_source, after_loud]),
    ],
    sensors=build_alert_sensors(minimum_interval_seconds=1),
)
