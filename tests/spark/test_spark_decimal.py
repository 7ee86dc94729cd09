"""fct_attribution balances each conversion's credits to exactly 1 in 12 decimal places; on
Spark that needs a narrower decimal than the credit's own decimal(38, 12).

Spark cuts the scale of decimal arithmetic whose result would need more than 38 digits, so
`credit + (1 - total)` in decimal(38, 12) lost places there (0.333333333334 came out
0.333333333300). The model balances in credit_residual_type() (macros/kpi_helpers.sql); this
evaluates that expression on the session's Spark with the macro's type, and with the wide type
as the control that shows the loss.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import jinja2
import pytest

from tests.dbt_cli import REPO

pytestmark = [pytest.mark.spark, pytest.mark.slow]


def _macro(name: str) -> str:
    text = (REPO / "macros" / "kpi_helpers.sql").read_text()
    module = jinja2.Environment(extensions=["jinja2.ext.do"]).from_string(text).module
    return str(getattr(module, name)()).strip()


def _balanced(spark: Any, residual_type: str) -> Decimal:
    """The largest credit 0.333333333333 of a conversion whose credits sum to 0.999999999999,
    balanced as fct_attribution balances it, in ``residual_type``."""
    credit = "cast(0.333333333333 as decimal(38, 12))"
    total = "cast(0.999999999999 as decimal(38, 12))"
    sql = (
        f"select cast(cast({credit} as {residual_type}) + (cast(1 as {residual_type}) "
        f"- cast({total} as {residual_type})) as decimal(38, 12)) as credit"
    )
    return spark.sql(sql).collect()[0]["credit"]


def test_the_balancing_credit_keeps_its_twelve_places_on_spark(spark_session: Any) -> None:
    model = (REPO / "models" / "marts" / "marketing" / "fct_attribution.sql").read_text()
    assert "- cast(ranked.rounded_total as {{ credit_residual_type() }})" in model
    assert _balanced(spark_session, _macro("credit_residual_type")) == Decimal("0.333333333334")
    # the control: the credit's own type loses places on Spark
    assert _balanced(spark_session, "decimal(38, 12)") != Decimal("0.333333333334")
