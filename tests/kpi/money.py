"""Money columns of the KPI marts under the money rule (dbt doc block kpi_unknown_money).

A sum over a set holding an amount without exchange rate is null, never 0; a sum over no amount
is 0. So marts and core marts are compared period by period: a period is unknown (None) on both
sides, or known on both and equal. Helpers only: the tests say what they compare.
"""

from __future__ import annotations

from typing import Any

import pytest

#: An opportunity amount that exists but has no value in the reporting currency.
UNCONVERTED = "(amount is not null and amount_usd is null)"


def by_period(rows: list[tuple[Any, ...]]) -> dict[str, float | None]:
    """{period 'YYYY-MM-DD': total, or None when unknown} from rows (period, total, unknown)."""
    return {
        str(period)[:10]: (None if unknown else float(total or 0.0))
        for period, total, unknown in rows
    }


def mart_by_period(wh, mart: str, column: str, period: str = "month_start", where: str = "true"):
    """A mart's money column per period: None as soon as one of the period's rows is null."""
    return by_period(
        wh.query(
            f"select {period}, sum({column}), sum(case when {column} is null then 1 else 0 end)"
            f" from marts.{mart} where {where} group by 1"
        )
    )


def core_by_period(wh, date_column: str, where: str = "true", grain: str = "month"):
    """fct_opportunities.amount_usd per period of date_column, under the money rule."""
    return by_period(
        wh.query(
            f"select date_trunc('{grain}', {date_column}), sum(amount_usd),"
            f" sum(case when {UNCONVERTED} then 1 else 0 end)"
            f" from marts.fct_opportunities where {where} group by 1"
        )
    )


def assert_same_by_period(
    mart: dict[str, float | None], core: dict[str, float | None], tol: float, label: str = ""
) -> int:
    """Every period is unknown on both sides or known and equal (a missing period is 0).
    Returns the number of known periods compared."""
    compared = 0
    for period in sorted(set(mart) | set(core)):
        got, expected = mart.get(period, 0.0), core.get(period, 0.0)
        if got is None or expected is None:
            assert got is None and expected is None, (label, period, got, expected)
            continue
        assert got == pytest.approx(expected, abs=tol), (label, period)
        compared += 1
    return compared
