"""The report's Shapley table on hand-made channel effects: signed shares, "to" between the
bounds, and the inconclusive mark (interval wider than the share; always for a share below
0). No company is built."""

from __future__ import annotations

import duckdb

from orchestration.report.marts import MartReader
from orchestration.report.sections.channels import _shapley_table

ROWS = [
    # scope, channel, share, lower, upper
    ("marketing", "events", 0.83, 0.65, 1.13),  # width 0.48 < 0.83: conclusive
    ("marketing", "display", 0.24, 0.10, 0.40),  # width 0.30 > 0.24: inconclusive
    ("marketing", "email", -0.10, -0.28, 0.03),  # below 0: inconclusive
    ("full_funnel", "events", 0.5, 0.4, 0.6),  # another scope: not shown
]


def test_shapley_table_shows_signed_shares_and_marks_the_inconclusive():
    con = duckdb.connect()
    con.execute("create schema marts")
    con.execute(
        "create table marts.fct_attribution_channel_effects (scope text, channel text, "
        "shapley_share double, shapley_share_lower double, shapley_share_upper double)"
    )
    con.executemany(
        "insert into marts.fct_attribution_channel_effects values (?, ?, ?, ?, ?)", ROWS
    )
    table = _shapley_table(MartReader(con), "marketing")
    assert table is not None
    rows = {row[0].text: row[1].text for row in table.rows}
    assert list(rows) == ["events", "display", "email"]  # by share, largest first
    assert rows["events"] == "83.0% (65.0% to 113.0%)"
    assert rows["display"] == "24.0% (10.0% to 40.0%) inconclusive"
    assert rows["email"] == "-10.0% (-28.0% to 3.0%) inconclusive"
