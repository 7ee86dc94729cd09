"""The twelve cross-system consistency rules, in contract order (simulator/RULES.md).

Written out once for the tests, independently of ``simulator.rules.RULE_NAMES`` and of
expectations/checks.yml, so the tests pin both against the contract rather than against each
other.
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
