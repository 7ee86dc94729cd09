"""Where a check's failure is: the table, the row keys, the column and the value.

GX reports a failed expectation with a few unexpected values; people need the rows. The runner
fetches the table's primary key with the suite's columns, and this module finds the keys of the
rows holding those values, for one line per failed expectation in the run summary (e.g.
``raw_salesforce.opportunity id 0065g00002: amount = -500.0 (expect_column_values_to_be_between)``).

A value is shown only for a column that holds no personal data (names, emails, phones,
addresses, IP addresses are withheld); keys and column names always are.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import pandas as pd

KEYS_SHOWN = 3
PERSONAL = re.compile(r"email|name|phone|mobile|address|street|(^|_)ip($|_)|title", re.I)
NULL_EXPECTATION = "expect_column_values_to_not_be_null"


def is_personal(column: str) -> bool:
    """Whether a column may hold personal data (its values are never printed)."""
    return bool(PERSONAL.search(column))


def offending_keys(
    frame: pd.DataFrame,
    column: str,
    expectation: str,
    examples: Sequence[Any],
    key_columns: Sequence[str],
    limit: int = KEYS_SHOWN,
) -> list[str]:
    """The keys (``id=A1`` or ``k1=..,k2=..``) of up to ``limit`` rows that fail on ``column``."""
    keys = [k for k in key_columns if k in frame.columns]
    if not keys or column not in frame.columns:
        return []
    values = frame[column]
    if expectation == NULL_EXPECTATION:
        mask = values.isna()
    elif examples:
        mask = values.astype(str).isin({str(x) for x in examples})
    else:
        return []
    rows = frame.loc[mask, keys].head(limit)
    return [",".join(f"{k}={row[k]}" for k in keys) for _, row in rows.iterrows()]


def finding_line(
    table: str, column: str | None, expectation: str, examples: Sequence[Any], keys: Sequence[str]
) -> str:
    """One line naming the table, the rows, the column and the value of a failed expectation."""
    where = f"{table} {' '.join(keys)}" if keys else table
    if not column:
        return f"{where}: {expectation}"
    if expectation == NULL_EXPECTATION:
        what = f"{column} is null"
    elif not examples:
        what = column
    elif is_personal(column):
        what = f"{column} (value withheld: personal data)"
    else:
        shown = ", ".join(str(x) for x in list(examples)[:KEYS_SHOWN])
        what = f"{column} = {shown}"
    return f"{where}: {what} ({expectation})"


RULE_COLUMNS = ("record_type", "record_id", "finding")


def rule_findings(frame: pd.DataFrame, limit: int = 20) -> list[str]:
    """``<system>.<table> <id>: <finding>`` for a rule whose rows name their record.

    Rules that report records (missing_fields, orphans, ownership, person_match,
    timeline_monotonic) return ``record_type``, ``record_id`` and ``finding``, a fixed text or
    a non-personal value (a date); other rules' rows describe aggregates and give none.
    """
    if not all(c in frame.columns for c in RULE_COLUMNS):
        return []
    rows = frame.loc[:, list(RULE_COLUMNS)].head(limit)
    return [f"{r.record_type} {r.record_id}: {r.finding}" for r in rows.itertuples(index=False)]
