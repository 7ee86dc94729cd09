"""One bad value does not stop the company (issue 20; severity policy, expectations/README.md).

Measured end to end on the demo company (scale 0.03, seed 7) with one opportunity's amount set
to -500 and another's created date to 0001-01-01: the run succeeds, every KPI mart is built,
and the summary names the amount's table, key, column and value (the suites' findings are
tested in tests/quality/test_suites.py). The date the calendar leaves out as a typo has no
dim_date row, so the journey's relationships test to dim_date must warn, not stop the KPI
marts: that is the configuration pinned here, in the parsed manifest.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytestmark = pytest.mark.reliability


def test_a_date_outside_the_calendar_warns_and_stops_nothing(manifest: Path) -> None:
    nodes = json.loads(manifest.read_text())["nodes"].values()
    (test,) = [
        n
        for n in nodes
        if n["resource_type"] == "test"
        and n.get("test_metadata", {}).get("name") == "relationships"
        and n.get("attached_node", "").endswith(".fct_customer_journey")
        and n.get("column_name") == "occurred_on"
    ]
    assert test["config"]["severity"].lower() == "warn"
