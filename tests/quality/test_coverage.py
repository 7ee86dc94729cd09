"""The run summary's data coverage: absent systems, tables and columns, and the marts they feed.

A hand-made warehouse (some raw tables dropped, one column dropped, one table whose every row
is soft-deleted) and a hand-made manifest with the lineage of three marts; the statements are
derived from the contract and that lineage, so each assertion names an input the test removed.
"""

from __future__ import annotations

import json
from pathlib import Path

from orchestration.coverage import describe, read_coverage
from orchestration.settings import Settings
from tests.quality.contract import execute, insert


def _manifest(path: Path) -> Path:
    def source(system: str, table: str) -> tuple[str, dict]:
        uid = f"source.revops.{system}.{table}"
        return uid, {"resource_type": "source", "source_name": system, "name": table}

    def model(name: str, schema: str, parents: list[str]) -> tuple[str, dict]:
        uid = f"model.revops.{name}"
        node = {"resource_type": "model", "name": name, "schema": schema}
        node["depends_on"] = {"nodes": parents}
        return uid, node

    sources = dict(
        [
            source("ads", "ad_stats"),
            source("salesforce", "opportunity"),
            source("salesforce", "account"),
            source("hubspot", "contact"),
        ]
    )
    nodes = dict(
        [
            model("stg_ads__ad_stats", "staging", ["source.revops.ads.ad_stats"]),
            model(
                "stg_salesforce__opportunities", "staging", ["source.revops.salesforce.opportunity"]
            ),
            model("stg_salesforce__accounts", "staging", ["source.revops.salesforce.account"]),
            model("fct_ad_spend", "marts", ["model.revops.stg_ads__ad_stats"]),
            model("fct_opportunities", "marts", ["model.revops.stg_salesforce__opportunities"]),
            model(
                "dim_account",
                "marts",
                ["model.revops.stg_salesforce__accounts", "source.revops.hubspot.contact"],
            ),
        ]
    )
    out = path / "manifest.json"
    out.write_text(json.dumps({"nodes": nodes, "sources": sources}))
    return out


def test_coverage_names_what_is_absent_and_what_it_empties(
    contract_settings: Settings, tmp_path: Path
) -> None:
    settings = contract_settings
    execute(settings, "drop table raw_ads.ad_stats")
    execute(settings, "drop schema raw_web cascade")
    execute(settings, "alter table raw_hubspot.contact drop column property_lifecyclestage")
    insert(settings, "raw_salesforce.opportunity", [{"id": "006A", "is_deleted": True}])
    insert(settings, "raw_salesforce.account", [{"id": "001A", "is_deleted": False}])
    execute(settings, "create schema marts")
    execute(settings, "create schema staging")
    execute(settings, "create table marts.fct_ad_spend (x int)")
    execute(settings, "create table marts.fct_opportunities (x int)")
    execute(settings, "create table marts.dim_account as select 1 as x")
    execute(settings, "create table staging.stg_salesforce__opportunities (x int)")
    execute(settings, "create table staging.stg_salesforce__accounts as select 1 as x")

    coverage = read_coverage(settings, _manifest(tmp_path))

    assert "ads.ad_stats" in coverage.tables_absent and "web.sessions" in coverage.tables_absent
    assert coverage.systems()["ads"][0] == 0 and coverage.systems()["salesforce"][0] > 0
    assert coverage.missing_columns == {"hubspot.contact": ("property_lifecyclestage",)}
    assert coverage.no_live_rows == {"salesforce.opportunity": (1, 0)}
    assert coverage.empty_marts == {
        "fct_ad_spend": ["ads.ad_stats"],
        "fct_opportunities": ["salesforce.opportunity"],
    }
    assert coverage.partial_marts == {}
    text = "\n".join(describe(coverage))
    assert "systems absent: ads, web" in text
    assert "hubspot.contact: contract columns missing (NULL): property_lifecyclestage" in text
    assert "salesforce.opportunity: 1 rows, none live" in text
    assert "fct_ad_spend (absent or without live rows: ads)" in text


def test_a_complete_export_says_so(contract_settings: Settings, tmp_path: Path) -> None:
    coverage = read_coverage(contract_settings, tmp_path / "no_manifest.json")
    assert coverage.tables_absent == [] and coverage.missing_columns == {}
    assert describe(coverage) == [
        "data coverage: every table and column of the raw contract is present"
    ]
