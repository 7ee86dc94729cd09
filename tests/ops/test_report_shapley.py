"""The report's Shapley table on hand-made channel effects: signed shares, "to" between the
bounds, and the inconclusive mark (interval wider than the share; always for a share below
0); a channel on none of the deals learnt from says so. No company is built."""

from __future__ import annotations

import duckdb

from orchestration.report.marts import MartReader
from orchestration.report.sections.channels import _shapley_table

ROWS = [
    # scope, channel, share, lower, upper, learning deals touched
    ("marketing", "events", 0.83, 0.65, 1.13, 400),  # width 0.48 < 0.83: conclusive
    ("marketing", "display", 0.24, 0.10, 0.40, 90),  # width 0.30 > 0.24: inconclusive
    ("marketing", "email", -0.10, -0.28, 0.03, 200),  # below 0: inconclusive
    ("marketing", "podcast", 0.0, 0.0, 0.0, 0),  # on no learning deal: no evidence
    ("full_funnel", "events", 0.5, 0.4, 0.6, 500),  # another scope: not shown
]


def test_shapley_table_shows_signed_shares_and_marks_the_inconclusive():
    con = duckdb.connect()
    con.execute("create schema marts")
    con.execute(
        "create table marts.fct_attribution_channel_effects (scope text, channel text, "
        "shapley_share double, shapley_share_lower double, shapley_share_upper double, "
        "learning_journey_count bigint)"
    )
    con.executemany(
        "insert into marts.fct_attribution_channel_effects values (?, ?, ?, ?, ?, ?)", ROWS
    )
    table = _shapley_table(MartReader(con), "marketing")
    assert table is not None
    rows = {row[0].text: row[1].text for row in table.rows}
    assert list(rows) == ["events", "display", "podcast", "email"]  # by share, largest first
    assert rows["events"] == "83.0% (65.0% to 113.0%)"
    assert rows["display"] == "24.0% (10.0% to 40.0%) inconclusive"
    assert rows["email"] == "-10.0% (-28.0% to 3.0%) inconclusive"
    # a share of 0 that only says the channel touched none of the deals learnt from
    assert rows["podcast"] == "no evidence: on none of the deals learnt from"
