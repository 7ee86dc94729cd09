"""expectations/checks.yml: severities, thresholds and guarded assets of every check.

Thresholds live in this one file, not in code or in the suites: the GX suites reference them as
suite parameters (``{"$PARAMETER": "threshold"}``) and the runner supplies them from here. What a
rule finds is its dbt model (models/quality/rule_<rule>.sql), with its options as dbt vars.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from orchestration.settings import PROJECT_DIR

EXPECTATIONS_DIR = PROJECT_DIR / "expectations"
CHECKS_FILE = EXPECTATIONS_DIR / "checks.yml"
RULE_MODELS_DIR = PROJECT_DIR / "models" / "quality"
RULE_MODEL_PREFIX = "rule_"
GX_DIR = EXPECTATIONS_DIR / "gx"
SUITES_DIR = GX_DIR / "expectations"
SEVERITIES = ("warn", "error")
CROSS_SYSTEM_SUITE = "cross_system"


KNOWN_FIELDS = frozenset({"severity", "threshold", "asset", "description", "number", "requires"})


class ChecksConfigError(ValueError):
    """checks.yml is malformed; the message names the file and the entry."""


@dataclass(frozen=True)
class CheckConfig:
    """One check: a cross-system rule (kind "rule") or a raw-table suite (kind "suite")."""

    name: str
    kind: str
    severity: str
    threshold: int
    asset: tuple[str, ...]
    description: str = ""
    number: int = 0
    #: dbt vars overriding the rule's options when the runner builds its model (what-ifs and
    #: tests); checks.yml holds none: the options' home is dbt_project.yml.
    options: dict[str, Any] = field(default_factory=dict)
    #: Inputs the check needs: groups of ``schema.table``; every group needs one present table.
    requires: tuple[tuple[str, ...], ...] = ()

    @property
    def model(self) -> str:
        """The dbt model of a rule (a view in the quality schema): rule_<rule>."""
        return RULE_MODEL_PREFIX + self.name

    @property
    def model_path(self) -> Path:
        """The SQL file of a rule's dbt model (models/quality/rule_<rule>.sql)."""
        return RULE_MODELS_DIR / f"{self.model}.sql"

    @property
    def suite_name(self) -> str:
        """The GX suite that validates this check."""
        return CROSS_SYSTEM_SUITE if self.kind == "rule" else self.name

    @property
    def table(self) -> tuple[str, str]:
        """(schema, table) a suite validates: its guarded raw asset."""
        return self.asset[0], self.asset[1]


@dataclass(frozen=True)
class ChecksConfig:
    """Everything in checks.yml."""

    rules: tuple[CheckConfig, ...]
    suites: tuple[CheckConfig, ...]
    sample_rows: int = 5

    @property
    def checks(self) -> tuple[CheckConfig, ...]:
        """Suites first (they guard the raw tables), then the rules in catalogue order."""
        return self.suites + self.rules

    def get(self, name: str) -> CheckConfig:
        """One check by name; a KeyError lists the known names."""
        for check in self.checks:
            if check.name == name:
                return check
        known = ", ".join(c.name for c in self.checks)
        raise KeyError(f"no check named {name!r} in {CHECKS_FILE.name} (known: {known})")


def _asset(value: Any, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = value.split("/")
    if (
        not isinstance(value, list | tuple)
        or not value
        or not all(isinstance(p, str) and p for p in value)
    ):
        raise ChecksConfigError(f"{where}: expected an asset key like [marts, fct_opportunities]")
    return tuple(value)


def _check(name: str, kind: str, raw: Any, path: Path) -> CheckConfig:
    where = f"{path}: {kind}s.{name}"
    if not isinstance(raw, dict):
        raise ChecksConfigError(f"{where}: expected a mapping")
    severity = raw.get("severity")
    if severity not in SEVERITIES:
        raise ChecksConfigError(f"{where}.severity={severity!r}: expected warn or error")
    threshold = raw.get("threshold")
    if not isinstance(threshold, int) or isinstance(threshold, bool) or threshold < 0:
        raise ChecksConfigError(f"{where}.threshold={threshold!r}: expected an integer >= 0")
    unknown = sorted(set(raw) - KNOWN_FIELDS)
    if unknown:
        raise ChecksConfigError(
            f"{where}: unknown field(s) {', '.join(unknown)} (known: "
            f"{', '.join(sorted(KNOWN_FIELDS))}; a rule's options are dbt vars in dbt_project.yml)"
        )
    return CheckConfig(
        name=name,
        kind=kind,
        severity=severity,
        threshold=threshold,
        asset=_asset(raw.get("asset"), f"{where}.asset"),
        description=" ".join(str(raw.get("description") or "").split()),
        number=int(raw.get("number") or 0),
        requires=_requires(raw.get("requires"), f"{where}.requires"),
    )


def _requires(value: Any, where: str) -> tuple[tuple[str, ...], ...]:
    """``requires``: a list whose items are a ``schema.table`` or a list of them (any of)."""
    if value is None:
        return ()
    if not isinstance(value, list):
        raise ChecksConfigError(f"{where}: expected a list of schema.table names or lists of them")
    groups = []
    for item in value:
        group = [item] if isinstance(item, str) else item
        if (
            not isinstance(group, list)
            or not group
            or not all(isinstance(n, str) and n.count(".") == 1 for n in group)
        ):
            raise ChecksConfigError(
                f"{where}: {item!r} is not a schema.table name or a list of them"
            )
        groups.append(tuple(group))
    return tuple(groups)


def load_config(path: Path | None = None) -> ChecksConfig:
    """Parse and validate checks.yml (errors name the file and the entry)."""
    path = path or CHECKS_FILE
    try:
        data = yaml.safe_load(path.read_text()) or {}
    except yaml.YAMLError as exc:
        raise ChecksConfigError(f"{path}: not valid YAML: {exc}") from exc
    rules = tuple(_check(n, "rule", r, path) for n, r in (data.get("rules") or {}).items())
    suites = tuple(_check(n, "suite", s, path) for n, s in (data.get("suites") or {}).items())
    for rule in rules:
        if not rule.model_path.exists():
            raise ChecksConfigError(
                f"{path}: rules.{rule.name}: its dbt model {rule.model_path} does not exist"
            )
    return ChecksConfig(rules=rules, suites=suites, sample_rows=int(data.get("sample_rows", 5)))
