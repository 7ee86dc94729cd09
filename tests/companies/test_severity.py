"""The severity policy end to end: breaking reconciliation (won revenue that cannot be
converted) is an error that stops the KPI marts of the run, and the summary says which check
did it. (That row-level findings are warnings that stop nothing is the demo pipeline's own
test: tests/ops/test_demo_pipeline.py, every rule broken, every KPI mart built.)"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def unconvertible(company_factory):
    """The demo company with won deals in a currency no rate covers (CHF)."""
    return company_factory("unconvertible", unconvertible_currency="CHF")


def test_reconciliation_error_stops_the_kpi_marts(unconvertible):
    company = unconvertible
    assert company.truth["won_opportunities_not_convertible"] > 0
    assert company.returncode == 1, company.output[-4000:]
    assert "failed check: marts/fct_attribution:reconciliation (error)" in company.output
    tables = {
        name
        for (name,) in company.query(
            "select table_name from information_schema.tables where table_schema = 'marts'"
        )
    }
    assert "fct_opportunities" in tables and "fct_attribution" in tables
    assert not {t for t in tables if t.startswith("kpi_")}, tables
    # the unknown stays unknown in the facts: no amount invented, the reason recorded
    rows = company.query(
        "select count(*), count(amount_usd) from marts.fct_opportunities "
        "where is_won and currency_code = 'CHF' and fx_rate_source = 'none'"
    )
    assert rows == [(company.truth["won_opportunities_not_convertible"], 0)]
