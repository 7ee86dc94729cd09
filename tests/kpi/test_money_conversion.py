"""Money conversion end to end: raw tables -> int_opportunity_amounts -> KPI marts -> checks.

Two small warehouses of their own (loaded with the product loader, built with `dbt build`
into this test's target path):

* a clean demo company (no injected inconsistencies) in which one won and one lost
  opportunity are moved to BRL, a currency neither Salesforce nor the seed can convert: the
  amounts are null (fx_rate_source 'none'), the months' money in the KPI marts is null (not
  0) with the excluded count beside it, reconciliation names the won one's currency and
  money_conversion reports the lost one; so is one day of LinkedIn ad spend (ad_stats
  currency_code BRL): its spend, the month's channel spend, CAC and ROAS and the trailing
  cost are null, never the known part, and reconciliation names that day too;
* a hand-made company with Salesforce's own currency tables (corporate USD, dated EUR rates,
  static EUR and GBP rates): won revenue in the reporting currency equals a value computed
  by hand from those rows (and one seed rate for CAD, which Salesforce lacks).
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import duckdb
import pytest

from orchestration.settings import PROJECT_DIR, Settings
from tests.dbt_cli import run_dbt
from tests.warehouse import ReadOnlyQueries

pytestmark = pytest.mark.slow

CENT = 0.01
AS_OF = "2026-01-01T00:00:00Z"
#: the ad spend moved to BRL: one day of one platform
AD_PLATFORM, AD_DAY, AD_MONTH = "linkedin_ads", "2025-06-10", "2025-06-01"


class Warehouse(ReadOnlyQueries):
    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def duckdb_file(self) -> Path:
        return self.settings.duckdb_path


def settings_for(work: Path, landing: Path, as_of: str) -> Settings:
    return Settings.from_env({}).with_(
        target="duckdb",
        duckdb_path=work / "warehouse.duckdb",
        landing_dir=landing,
        reports_dir=work / "reports",
        as_of=as_of,
    )


def load_and_build(settings: Settings, work: Path, change_raw: str | None = None) -> None:
    from orchestration.ingest import load_landing

    load_landing(settings, settings.landing_dir)
    if change_raw:
        con = duckdb.connect(str(settings.duckdb_path))
        try:
            con.execute(change_raw)
        finally:
            con.close()
    env = {**settings.to_env(), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    # unit tests need every raw relation (a hand-made company lacks most): dbt build runs them
    run_dbt(
        ["build", "--exclude", "resource_type:snapshot", "resource_type:unit_test"],
        env,
        work,
        as_of=settings.as_of,
    )


# --- a currency no rate covers ------------------------------------------------------------


@pytest.fixture(scope="module")
def brl(tmp_path_factory: pytest.TempPathFactory) -> tuple[Warehouse, dict[str, Any]]:
    """A clean company with its first won and first lost opportunity (by id) in BRL."""
    simulator = pytest.importorskip("simulator")
    work = tmp_path_factory.mktemp("money_brl")
    landing = work / "landing"
    simulator.generate(landing, scale=0.03, seed=1, inconsistency_rate=0.0)
    truth = json.loads((landing / "ground_truth.json").read_text())
    rows = list(csv.DictReader((landing / "salesforce" / "opportunity.csv").open()))
    live = [r for r in rows if r["is_deleted"] != "true"]
    won = min((r for r in live if r["is_won"] == "true"), key=lambda r: r["id"])
    lost = min(
        (r for r in live if r["is_closed"] == "true" and r["is_won"] != "true"),
        key=lambda r: r["id"],
    )
    settings = settings_for(work, landing, truth["as_of"])
    load_and_build(
        settings,
        work,
        "update raw_salesforce.opportunity set currency_iso_code = 'BRL'"
        f" where id in ('{won['id']}', '{lost['id']}');"
        f" update raw_ads.ad_stats set currency_code = 'BRL' where platform = '{AD_PLATFORM}'"
        f" and date_day = '{AD_DAY}'",
    )
    return Warehouse(settings), {"won": won, "lost": lost}


def test_unconvertible_amounts_are_null_with_source_none(brl):
    wh, opps = brl
    for kind in ("won", "lost"):
        amount, amount_usd, source = wh.query(
            "select amount, amount_usd, fx_rate_source from marts.fct_opportunities"
            " where opportunity_id = ?",
            [opps[kind]["id"]],
        )[0]
        assert (amount, amount_usd, source) == (float(opps[kind]["amount"]), None, "none"), kind
    # nothing else lacks a rate in a clean company
    assert wh.scalar("select count(*) from marts.fct_opportunities where amount_usd is null") == 2


def test_won_revenue_of_the_month_is_null_not_zero(brl):
    wh, opps = brl
    month = opps["won"]["close_date"][:7] + "-01"
    bookings, unconverted = wh.query(
        "select bookings_usd, unconverted_won_opportunities from marts.kpi_revenue_retention"
        " where month_start = ?",
        [month],
    )[0]
    assert (bookings, unconverted) == (None, 1)
    won_rows = wh.query(
        "select won_amount_usd, unconverted_won_opportunities from marts.kpi_sales_performance"
        " where month_start = ? and won_count > 0",
        [month],
    )
    assert (None, 1) in won_rows
    assert sum(n for _, n in won_rows) == 1
    # the other months are known: no zero stands in for the unknown
    assert (
        wh.scalar(
            "select count(*) from marts.kpi_revenue_retention"
            " where month_start != ? and bookings_usd is null",
            [month],
        )
        == 0
    )
    assert (
        wh.scalar("select sum(unconverted_won_opportunities) from marts.kpi_channel_performance")
        == 1
    )


def test_lost_amount_of_the_month_is_null_with_its_count(brl):
    wh, opps = brl
    month = opps["lost"]["close_date"][:7] + "-01"
    rows = wh.query(
        "select lost_amount_usd, unconverted_lost_opportunities from marts.kpi_sales_performance"
        " where month_start = ? and lost_count > 0",
        [month],
    )
    assert (None, 1) in rows


def test_checks_name_the_currency(brl):
    from orchestration.quality.runner import run_suites

    wh, opps = brl
    results = {
        r.rule: r
        for r in run_suites(
            wh.settings,
            checks=["reconciliation", "money_conversion"],
            write_history=False,
            write_check_pages=False,
        )
    }
    reconciliation = results["reconciliation"]
    assert reconciliation.error is None, reconciliation.error
    assert reconciliation.observed_value == 2
    won, spend = sorted(reconciliation.sample_rows, key=lambda r: r["finding"], reverse=True)
    assert won["opportunity_id"] == opps["won"]["id"]
    assert won["currency_iso_code"] == "BRL"
    assert won["finding"] == "won amount in BRL has no exchange rate into USD"
    assert spend["opportunity_id"] == f"{AD_PLATFORM} {AD_DAY}"
    assert spend["finding"] == "ad spend in BRL has no exchange rate into USD"
    conversion = results["money_conversion"]
    assert conversion.error is None, conversion.error
    assert conversion.observed_value == 1
    (finding,) = conversion.sample_rows
    assert finding["opportunity_id"] == opps["lost"]["id"]
    assert (finding["stage_class"], finding["fx_rate_source"]) == ("lost", "none")
    assert "BRL" in finding["finding"]


def test_ad_spend_without_rate_is_null_where_it_counts(brl):
    """A day of LinkedIn spend in BRL: that row's spend is null, and so is every total built
    on it (channel and month, the month's CAC and ROAS, the trailing 12-month cost, the weekly
    4-week CAC); the rest stays known."""
    wh, _ = brl
    rows = wh.query(
        "select date_day, platform, currency_code, fx_rate_source, spend_usd, spend"
        " from marts.fct_ad_spend where spend_usd is null"
    )
    assert rows and {(str(r[0]), r[1], r[2], r[3]) for r in rows} == {
        (AD_DAY, AD_PLATFORM, "BRL", "none")
    }
    assert all(r[5] > 0 for r in rows)  # the amount itself is kept
    channel = wh.scalar("select channel from marts.fct_ad_spend where spend_usd is null limit 1")
    spend, cac, roas = wh.query(
        "select spend_usd, cac_usd, roas from marts.kpi_channel_performance"
        " where month_start = ? and channel = ?",
        [AD_MONTH, channel],
    )[0]
    assert (spend, cac, roas) == (None, None, None)
    assert (
        wh.scalar("select count(*) from marts.kpi_channel_performance where spend_usd is null") == 1
    )
    month = wh.query(
        "select ad_spend_usd, acquisition_cost_usd, cac_usd from marts.kpi_revenue_retention"
        " where month_start = ?",
        [AD_MONTH],
    )[0]
    assert month == (None, None, None)
    # the trailing twelve months that hold that month have no known cost, the others do
    unknown_ttm = wh.query(
        "select month_start from marts.kpi_revenue_retention where cac_ttm_usd is null"
        " and new_customers_ttm > 0 order by 1"
    )
    assert [str(m[0])[:10] for m in unknown_ttm][:1] == [AD_MONTH]
    assert (
        wh.scalar(
            "select count(*) from marts.kpi_revenue_retention where month_start < ?"
            " and cac_ttm_usd is null and new_customers_ttm > 0",
            [AD_MONTH],
        )
        == 0
    )
    # the weekly scorecard's CAC over 4 weeks: unknown exactly while the week is in the window
    weekly = wh.query(
        "select week_start, metric_value from marts.kpi_weekly_scorecard"
        " where metric_name = 'cac_usd' and week_start between date '2025-06-09'"
        " and date '2025-07-07' order by 1"
    )
    values = [v for _, v in weekly]
    assert values[:4] == [None] * 4 and values[4] is not None, weekly


def test_the_run_summary_says_which_currencies_came_in(brl):
    """The money lines of the run summary: the reporting currency, each mart's currencies and
    the amounts without rate (the two BRL opportunities, the BRL ad spend rows)."""
    from orchestration.money import money_lines

    wh, _ = brl
    spend_rows = wh.scalar("select count(*) from marts.fct_ad_spend where spend_usd is null")
    codes = [r[0] for r in wh.query("select distinct currency_code from marts.fct_opportunities")]
    assert money_lines(wh.settings) == [
        "money: every amount in the marts is in USD (dbt var reporting_currency)",
        f"  opportunity amounts came in {', '.join(sorted(codes))}; 2 without exchange rate"
        " (null in the marts, never 0)",
        f"  ad spend came in BRL, USD; {spend_rows} without exchange rate (null in the marts,"
        " never 0)",
    ]


# --- Salesforce's own rates ---------------------------------------------------------------

OPPORTUNITY_COLUMNS = (
    "id,account_id,owner_id,name,type,stage_name,amount,currency_iso_code,probability,"
    "created_date,close_date,is_closed,is_won,is_deleted,_fivetran_synced"
)
SYNCED = "2025-12-31T00:00:00Z"
#: (id, amount, currency, close date, stage): won unless said otherwise
OPPORTUNITIES = [
    ("O1", 1000, "USD", "2019-05-01", "won"),  # before every rate: identity, 1000
    ("O2", 1000, "EUR", "2025-03-10", "won"),  # dated EUR 0.8 from 2025-01-01: 1250
    ("O3", 1000, "GBP", "2025-03-20", "won"),  # no dated GBP: static 0.5, 2000
    ("O4", 1000, "EUR", "2024-06-01", "won"),  # dated EUR 0.5 in 2024: 2000
    ("O5", 800, "EUR", "2023-02-01", "won"),  # before the dated EUR rates: static 0.64, 1250
    ("O6", 1000, "CAD", "2025-03-15", "won"),  # not in Salesforce: the seed's CAD rate
    ("O7", 1000, "EUR", "2025-03-05", "lost"),
    ("O8", 5000, "USD", "2026-02-01", "open"),
]
CURRENCY_TYPES = [
    "id,iso_code,conversion_rate,decimal_places,is_active,is_corporate,_fivetran_synced",
    f"C1,USD,1.0,2,true,true,{SYNCED}",
    f"C2,EUR,0.64,2,true,false,{SYNCED}",
    f"C3,GBP,0.5,2,true,false,{SYNCED}",
]
DATED_RATES = [
    "id,iso_code,start_date,next_start_date,conversion_rate,_fivetran_synced",
    f"D1,EUR,2024-01-01,2025-01-01,0.5,{SYNCED}",
    f"D2,EUR,2025-01-01,,0.8,{SYNCED}",
]


def seed_rate(currency: str, rate_date: str) -> float:
    with (PROJECT_DIR / "seeds" / "exchange_rates.csv").open() as fh:
        for row in csv.DictReader(fh):
            if row["currency_code"] == currency and row["rate_date"] == rate_date:
                return float(row["usd_per_unit"])
    raise AssertionError(f"the seed has no {currency} rate on {rate_date}")


@pytest.fixture(scope="module")
def salesforce_rates(tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    work = tmp_path_factory.mktemp("money_salesforce")
    system = work / "landing" / "salesforce"
    system.mkdir(parents=True)
    lines = [OPPORTUNITY_COLUMNS]
    for opp_id, amount, currency, close_date, stage in OPPORTUNITIES:
        stage_name, closed, won = {
            "won": ("Closed Won", "true", "true"),
            "lost": ("Closed Lost", "true", "false"),
            "open": ("Proposal", "false", "false"),
        }[stage]
        created = f"{int(close_date[:4]) - 1}{close_date[4:]}T09:00:00Z"
        lines.append(
            f"{opp_id},A1,U1,Deal {opp_id},New Business,{stage_name},{amount},{currency},"
            f"{100 if won == 'true' else 50},{created},{close_date},{closed},{won},false,{SYNCED}"
        )
    (system / "opportunity.csv").write_text("\n".join(lines) + "\n")
    (system / "currency_type.csv").write_text("\n".join(CURRENCY_TYPES) + "\n")
    (system / "dated_conversion_rate.csv").write_text("\n".join(DATED_RATES) + "\n")
    settings = settings_for(work, work / "landing", AS_OF)
    load_and_build(settings, work)
    return Warehouse(settings)


def test_each_amount_converts_with_the_first_rate_that_covers_it(salesforce_rates):
    sources = dict(
        salesforce_rates.query("select opportunity_id, fx_rate_source from marts.fct_opportunities")
    )
    assert sources == {
        "O1": "identity",
        "O2": "salesforce_dated",
        "O3": "salesforce_static",
        "O4": "salesforce_dated",
        "O5": "salesforce_static",
        "O6": "seed",
        "O7": "salesforce_dated",
        "O8": "identity",
    }


def test_won_revenue_equals_the_hand_computed_value(salesforce_rates):
    cad = 1000 * seed_rate("CAD", "2025-03-01")
    march = 1000 / 0.8 + 1000 / 0.5 + cad  # O2, O3, O6
    total = 1000 + march + 1000 / 0.5 + 800 / 0.64  # + O1, O4, O5
    wh = salesforce_rates
    assert wh.scalar(
        "select bookings_usd from marts.kpi_revenue_retention where month_start = '2025-03-01'"
    ) == pytest.approx(march, abs=CENT)
    assert wh.scalar("select sum(bookings_usd) from marts.kpi_revenue_retention") == pytest.approx(
        total, abs=CENT
    )
    assert wh.scalar(
        "select sum(won_amount_usd) from marts.kpi_sales_performance"
    ) == pytest.approx(total, abs=CENT)
    assert (
        wh.scalar("select sum(unconverted_won_opportunities) from marts.kpi_revenue_retention") == 0
    )
