"""The twelve cross-system consistency rules, in contract order (docs/quality_rules.md), and the
health rules the warehouse adds after them (numbered 13 on, in checks.yml order).

Written out once for the tests, independently of ``simulator.rules.RULE_NAMES`` and of
expectations/checks.yml, so the tests pin both against the contract rather than against each
other. The simulator's truth covers the twelve; each added rule has tests of its own that break
it on purpose.
"""

RULE_NAMES = (
    "person_match",
    "duplicate_people",
    "lifecycle_agreement",
    "deal_opportunity_agreement",
    "timeline_monotonic",
    "orphans",
    "conservation",
    "reconciliation",
    "freshness",
    "ownership",
    "mapping_coverage",
    "pipeline_hygiene",
)

#: Rules after the catalogue: checks of the warehouse's own inputs and outputs (money
#: conversion, identity clusters, attribution and channel coverage), in checks.yml order.
ADDED_RULE_NAMES: tuple[str, ...] = (
    "identity_cluster_health",
    "missing_fields",
    "attribution_coverage",
    "channel_coverage",
    "money_conversion",
)
