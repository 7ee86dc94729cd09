"""Money: Salesforce multi-currency tables, the USD rule and its seed fallback."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import sim_rederive as rd
from sim_companies import Companies

from simulator import generate

SCALE = 0.02
SEED = 7
BASE_AS_OF = rd.secs(pd.Series(["2026-01-01T00:00:00Z"])).iloc[0]


@pytest.fixture(scope="module")
def multi(simulate: Companies) -> tuple[Path, dict]:
    return simulate("multi_currency", scale=SCALE, seed=SEED, currencies="BRL,EUR")


def check_currency_tables(tables: dict[str, pd.DataFrame], codes: list[str], as_of: str) -> None:
    """Both tables exist, USD is the corporate currency, monthly rows cover the history."""
    types = tables["salesforce/currency_type"]
    assert sorted(types["iso_code"]) == sorted(["USD", *codes])
    usd = types[types["iso_code"] == "USD"].iloc[0]
    assert usd["is_corporate"] == "true" and float(usd["conversion_rate"]) == 1
    assert (types[types["iso_code"] != "USD"]["is_corporate"] == "false").all()
    dated = tables["salesforce/dated_conversion_rate"]
    assert sorted(set(dated["iso_code"])) == sorted(codes)
    opps = tables["salesforce/opportunity"]
    earliest = min(
        opps["created_date"].replace("", None).dropna().str[:10].min(), opps["close_date"].min()
    )
    for code, rows in dated.groupby("iso_code"):
        rows = rows.sort_values("start_date")
        starts = rows["start_date"].tolist()
        assert all(s.endswith("-01") for s in starts), code
        assert rows["next_start_date"].tolist() == [*starts[1:], ""], code
        assert starts[0] <= earliest, (code, starts[0], earliest)
        assert (
            starts[-1]
            <= as_of[:10]
            < (pd.Timestamp(starts[-1]) + pd.DateOffset(months=1)).strftime("%Y-%m-%d")
        )
        values = rows["conversion_rate"].astype(float)
        assert values.nunique() > len(values) // 2 and (values > 0).all(), code


def test_multi_currency_company(multi: tuple[Path, dict], rates: rd.Rates):
    folder, truth = multi
    tables = rd.load(folder)
    check_currency_tables(tables, ["BRL", "EUR"], truth["as_of"])
    assert truth["currencies"] == ["BRL", "EUR"]
    assert truth["profile"]["currencies"] == ["BRL", "EUR"]
    assert {"salesforce/currency_type", "salesforce/dated_conversion_rate"} <= set(
        truth["profile"]["tables_written"]
    )
    rd.assert_facts_equal(truth, rd.facts(tables, rates))
    assert rd.rules(tables, rates, BASE_AS_OF) == truth["inconsistencies"]
    opps = rd.live(tables["salesforce/opportunity"])
    won = opps[rd.truthy(opps["is_won"])]
    for code in ("BRL", "EUR"):
        assert (won["currency_iso_code"] == code).sum() >= 1, code
    non_renewal = opps[opps["type"] != "Renewal"]
    share = non_renewal["currency_iso_code"].isin(["BRL"]).mean()
    assert 0.08 <= share <= 0.3, share
    # line items still add up to the amount, in the opportunity's currency
    items = rd.live(tables["salesforce/opportunity_line_item"])
    sums = pd.to_numeric(items["total_price"]).groupby(items["opportunity_id"]).sum()
    amount = pd.to_numeric(opps.set_index("id")["amount"])
    both = sums.index.intersection(amount.index)
    assert ((sums[both] - amount[both]).abs() < 0.005).all()


def test_a_clean_multi_currency_company_stays_clean(tmp_path: Path, rates: rd.Rates):
    """Deal amounts in USD agree with the opportunities converted by the Salesforce rates."""
    truth = generate(
        tmp_path, scale=SCALE, seed=SEED, currencies=["BRL", "JPY"], inconsistency_rate=0
    )
    assert all(n == 0 for n in truth["inconsistencies"].values()), truth["inconsistencies"]
    tables = rd.load(tmp_path)
    assert rd.rules(tables, rates, BASE_AS_OF) == truth["inconsistencies"]
    pairs = rd._linked(tables)
    assert (pairs["currency_iso_code"] == "JPY").any()
    types = tables["salesforce/currency_type"].set_index("iso_code")
    assert types.at["JPY", "decimal_places"] == "0" and types.at["BRL", "decimal_places"] == "2"


def test_omitted_dated_rates_fall_back_to_currency_type(tmp_path: Path, rates: rd.Rates):
    truth = generate(
        tmp_path,
        scale=SCALE,
        seed=SEED,
        currencies="BRL,EUR",
        omit_tables="salesforce/dated_conversion_rate",
    )
    tables = rd.load(tmp_path)
    assert "salesforce/dated_conversion_rate" not in tables
    assert truth["profile"]["tables_absent"] == ["salesforce/dated_conversion_rate"]
    rd.assert_facts_equal(truth, rd.facts(tables, rates))
    assert rd.rules(tables, rates, BASE_AS_OF) == truth["inconsistencies"]


def test_seed_rule_extrapolates_before_the_first_rate(rates: rd.Rates):
    """The seed's earliest rate converts dates before it; USD needs no rate at all."""
    money = rates.converter({})
    first = rates.by["EUR"]["day"].min()
    earliest = float(rates.by["EUR"]["usd_per_unit"].iloc[0])
    assert money.usd("100", "EUR", first - 400) == (pytest.approx(100 * earliest), True)
    assert money.usd("100", "EUR", first) == (pytest.approx(100 * earliest), False)
    assert money.usd("100", "USD", first - 4000) == (100.0, False)
    assert money.usd("100", "XAU", first) == (None, False)
    assert money.usd("", "USD", first) == (None, False)


def test_multi_currency_company_with_a_long_history(tmp_path: Path, rates: rd.Rates):
    truth = generate(tmp_path, scale=SCALE, seed=SEED, currencies="BRL,EUR", start_year=2016)
    assert truth["period"]["start"].startswith("2016-01-0")
    tables = rd.load(tmp_path)
    check_currency_tables(tables, ["BRL", "EUR"], truth["as_of"])
    assert tables["salesforce/dated_conversion_rate"]["start_date"].min() < "2015-01-01"
    rd.assert_facts_equal(truth, rd.facts(tables, rates))
    as_of = rd.secs(pd.Series([truth["as_of"]])).iloc[0]
    assert rd.rules(tables, rates, as_of) == truth["inconsistencies"]
    opps = rd.live(tables["salesforce/opportunity"])
    won = opps[rd.truthy(opps["is_won"])]
    for code in ("BRL", "EUR"):
        assert (won["currency_iso_code"] == code).sum() >= 1, code
    # EUR converts with Salesforce's rates; only GBP falls back to the (extrapolated) seed
    gbp = won[won["currency_iso_code"] == "GBP"]
    assert truth["won_opportunities_rate_extrapolated"] == len(gbp)


def test_ad_accounts_bill_in_their_own_currencies(tmp_path: Path, rates: rd.Rates):
    """ad_currencies: each ad account bills in one currency (round robin), spend is written in
    it and the truth's USD spend is what the files give back at the rates of their days
    (Salesforce's dated rates for a currency the org has, the seed for the others)."""
    plain = generate(tmp_path / "usd", scale=SCALE, seed=SEED, currencies="BRL")
    truth = generate(
        tmp_path / "x", scale=SCALE, seed=SEED, currencies="BRL", ad_currencies="BRL,GBP,USD"
    )
    assert truth["profile"]["ad_currencies"] == ["BRL", "GBP", "USD"]
    assert "ad_currencies" not in plain["profile"]
    tables = rd.load(tmp_path / "x")
    ads = tables["ads/ad_stats"]
    assert "currency_code" not in rd.load(tmp_path / "usd")["ads/ad_stats"].columns
    per_account = ads.groupby("account_id")["currency_code"].unique()
    assert (per_account.map(len) == 1).all()
    assert set(per_account.map(lambda c: c[0])) == {"BRL", "GBP", "USD"}
    rd.assert_facts_equal(truth, rd.facts(tables, rates))
    # the same plan: USD spend within rounding of the USD company's, amounts in other units
    assert truth["ad_spend_usd"] == pytest.approx(plain["ad_spend_usd"], rel=1e-4)
    brl = pd.to_numeric(ads[ads["currency_code"] == "BRL"]["spend"]).sum()
    brl_usd = rd.ad_spend_usd(ads[ads["currency_code"] == "BRL"], rates.converter(tables)).sum()
    assert brl > 3 * brl_usd


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"ad_currencies": "CHF"}, "ad_currencies CHF has no exchange rate"),
        ({"ad_currencies": "eur"}, "3-letter upper-case"),
        ({"ad_currencies": "EUR,EUR"}, "lists a currency twice"),
        # an org's own currency has rates only where the Salesforce tables are written
        ({"ad_currencies": "BRL", "currencies": "BRL", "profile": "ads-only"}, "BRL"),
    ],
)
def test_ad_currencies_need_a_rate(tmp_path: Path, options: dict, message: str):
    with pytest.raises(ValueError, match=message):
        generate(tmp_path, scale=SCALE, seed=SEED, **options)
