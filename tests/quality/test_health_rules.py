"""The warehouse's own health rules (after the catalogue): each passes on a clean company and
fires when the warehouse is broken the way the rule is there to catch."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from orchestration.settings import Settings
from orchestration.warehouse import query
from tests.quality.alone import run_alone
from tests.quality.contract import execute
from tests.quality.demo import DemoWarehouse

pytestmark = pytest.mark.slow


def _copy(demo: DemoWarehouse, tmp_path: Path) -> Settings:
    copy = tmp_path / demo.settings.duckdb_path.name
    shutil.copy(demo.settings.duckdb_path, copy)
    return demo.settings.with_(duckdb_path=copy, reports_dir=tmp_path / "reports")


def _run(settings: Settings, rule: str, **options: object):
    """The rule on the warehouse as it is; its view is rebuilt only to take other options (dbt
    vars): the demo build made it, and a view sees the marts changed since."""
    result = run_alone(settings, rule, build_rules=bool(options), **options)
    assert result.error is None, result.error
    return result


@pytest.mark.parametrize("rule", ["attribution_coverage", "channel_coverage"])
def test_health_rules_pass_on_a_clean_company(clean: DemoWarehouse, rule: str) -> None:
    result = _run(clean.settings, rule)
    assert result.success and result.observed_value == 0, result.sample_rows


def test_attribution_coverage_catches_a_win_that_lost_its_close_day_touches(
    demo: DemoWarehouse, tmp_path: Path
) -> None:
    """The bug it is for: the win placed at midnight of the close day, so that day's touches
    fall outside the window and the conversion becomes 'unattributed'."""
    settings = _copy(demo, tmp_path)
    ((opportunity, person, close_date),) = query(
        settings,
        "select a.opportunity_id, min(p.person_id), min(a.close_date) "
        "from marts.fct_attribution as a "
        "inner join intermediate.int_opportunity_people as p using (opportunity_id) "
        "where a.attribution_model = 'linear' and a.touch_event_type != 'unattributed' "
        "group by a.opportunity_id order by a.opportunity_id limit 1",
    )
    execute(
        settings,
        "insert into marts.fct_customer_journey (journey_event_id, person_id, account_id, "
        "event_type, occurred_at, occurred_on, channel, campaign_id, source_system) values "
        f"('close-day-touch', '{person}', '-1', 'web_session', "
        f"cast('{close_date}' as timestamp) + interval 15 hour, cast('{close_date}' as date), "
        "'direct', '-1', 'web')",
        "update marts.fct_attribution set touch_event_type = 'unattributed' "
        f"where opportunity_id = '{opportunity}'",
    )
    result = _run(settings, "attribution_coverage")
    assert not result.success and result.observed_value == 1
    assert result.sample_rows[0]["subject"] == opportunity


def test_attribution_coverage_flags_a_mostly_unattributed_company(
    demo: DemoWarehouse, tmp_path: Path
) -> None:
    """Half of the conversions lose their touches (people not resolved, touches not loaded):
    the unattributed share of won revenue crosses the bound and is reported once."""
    settings = _copy(demo, tmp_path)
    execute(
        settings,
        "update marts.fct_attribution set touch_event_type = 'unattributed' where opportunity_id "
        "in (select opportunity_id from marts.fct_opportunities where is_won "
        "and amount_usd is not null order by opportunity_id limit 10)",
    )
    share = query(
        settings,
        "select sum(case when touch_event_type = 'unattributed' then revenue_credit_usd end)"
        " / sum(revenue_credit_usd) from marts.fct_attribution where attribution_model = 'linear'"
        " and scope = 'full_funnel'",
    )[0][0]
    assert 0 < share < 1
    assert _run(settings, "attribution_coverage", max_unattributed_share=share).success
    low = _run(settings, "attribution_coverage", max_unattributed_share=share / 2)
    assert not low.success and low.observed_value == 1
    assert low.sample_rows[0]["measured"] == pytest.approx(share)


def test_channel_coverage_weighs_unmapped_money(clean: DemoWarehouse, tmp_path: Path) -> None:
    """A clean company with one ad platform and one deal source nobody mapped."""
    settings = _copy(clean, tmp_path)
    execute(
        settings,
        "update marts.fct_ad_spend set channel = 'unmapped' "
        "where ad_spend_id = (select min(ad_spend_id) from marts.fct_ad_spend)",
        "update marts.fct_opportunities set source_channel = 'unmapped' where opportunity_id = "
        "(select min(opportunity_id) from marts.fct_opportunities where is_won)",
    )
    result = _run(settings, "channel_coverage")
    assert not result.success and result.observed_value == 2
    assert {r["measure"] for r in result.sample_rows} == {"ad spend", "won revenue"}
    assert all(0 < r["share"] < 1 for r in result.sample_rows)
