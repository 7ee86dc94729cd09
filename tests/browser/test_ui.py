"""The Dagster UI in a real (headless) browser: the asset graph, an asset's checks, the report."""

from __future__ import annotations

import html
import re
import shutil
import tempfile
from pathlib import Path

import duckdb
import pytest

from orchestration.dbt_project import prepare_manifest
from orchestration.settings import PROJECT_DIR, Settings
from tests.browser.chromium import dump_dom, screenshot
from tests.browser.conftest import UI_MODULE
from tests.browser.dagster_server import DagsterServer, dagster_server, location_names
from tests.ops.demo_build import DemoBuild

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def visible_text(dom: str) -> str:
    """The text of a DOM dump without scripts and styles."""
    dom = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", dom, flags=re.S)
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", dom)))


def _check_png(path: Path, min_bytes: int = 20_000) -> None:
    assert path.read_bytes()[:8] == PNG_MAGIC, path
    assert path.stat().st_size > min_bytes, f"{path} looks blank ({path.stat().st_size} bytes)"


def test_asset_graph_shows_the_project_assets(
    ui: DagsterServer, chromium: str, artifacts: Path
) -> None:
    lineage = visible_text(dump_dom(chromium, f"{ui.url}/asset-groups"))
    for group in (
        "raw_salesforce",
        "raw_hubspot",
        "raw_ads",
        "raw_web",
        "staging",
        "marts",
        "reports",
    ):
        assert group in lineage, group
    _check_png(screenshot(chromium, f"{ui.url}/asset-groups", artifacts / "asset_graph.png"))

    marts_url = f"{ui.url}/locations/{UI_MODULE}/asset-groups/marts/list"
    marts = visible_text(dump_dom(chromium, marts_url))
    # the list is virtualised: only the first rows (alphabetical) are in the DOM
    for name in ("marts / dim_account", "marts / dim_campaign", "marts / dim_channel"):
        assert name in marts, name
    # right after a full build no mart is "0% filled": nothing is partitioned (assets/dbt.py)
    assert not re.search(r"\d+ partitions|% filled", marts), marts[:2000]
    _check_png(screenshot(chromium, marts_url, artifacts / "marts_list.png"))

    report_url = f"{ui.url}/assets/reports/weekly_report?view=lineage&lineageDepth=1"
    report = visible_text(dump_dom(chromium, report_url))
    assert "weekly_report" in report and "dim_person" in report
    _check_png(screenshot(chromium, report_url, artifacts / "weekly_report_lineage.png"))


def test_asset_checks_page_lists_dbt_tests_and_quality_rules(
    ui: DagsterServer, chromium: str, artifacts: Path
) -> None:
    url = f"{ui.url}/assets/marts/fct_customer_journey?view=checks"
    text = visible_text(dump_dom(chromium, url))
    assert "fct_customer_journey" in text
    assert re.search(r"Checks \(\d+\)", text), text[:2000]
    assert "person_match" in text  # a consistency rule of the quality checks
    assert "not_null_fct_c" in text  # a dbt test (names are shortened in the list)
    assert "Succeeded" in text
    _check_png(screenshot(chromium, url, artifacts / "asset_checks.png"))


def test_a_check_page_links_to_its_offending_rows(
    ui: DagsterServer, pages: str, demo_build: DemoBuild, chromium: str, artifacts: Path
) -> None:
    """An operator opens a failed rule in the Dagster UI and follows its link to the rows: an
    http page (not file://) that renders them, masked, with their total and the run."""
    from orchestration.warehouse import query

    url = f"{ui.url}/assets/marts/fct_customer_journey?view=checks&checkDetail=person_match"
    dom = dump_dom(chromium, url)
    links = set(re.findall(r'href="([^"]+)"', dom))
    rows_link = f"{pages}/checks/person_match#offending-rows"
    assert rows_link in {html.unescape(link) for link in links}, sorted(links)[:40]
    text = visible_text(dom)
    assert "revops check --rows person_match" in text
    _check_png(screenshot(chromium, url, artifacts / "check_detail.png"))

    page = visible_text(dump_dom(chromium, rows_link, budget_ms=2000))
    ((total,),) = query(
        demo_build.settings,
        "select count(*) from quality.dq_offending_rows where rule = 'person_match'",
    )
    assert total > 0 and f"Offending rows ({total})" in page, page[:1000]
    assert demo_build.run_id in page and "***@" in page
    assert not re.search(r"[\w.+-]+@[\w-]+\.", page.replace("***@", "")), page[:2000]
    _check_png(
        screenshot(chromium, rows_link, artifacts / "offending_rows.png", budget_ms=2000),
        min_bytes=10_000,
    )


def test_weekly_report_renders_with_its_charts(
    demo_build: DemoBuild, chromium: str, artifacts: Path
) -> None:
    report = demo_build.settings.reports_dir / "weekly_report.html"
    assert report.exists(), "the report asset did not write the report"
    dom = dump_dom(chromium, report.as_uri(), budget_ms=3000)
    sources = re.findall(r'<img[^>]*\ssrc="([^"]+)"', dom)
    assert len(sources) == 6, sources  # scorecard trends, funnel, channels, pipeline, SLA, quality
    for src in sources:
        assert src.strip()
        _check_png(report.parent / src, min_bytes=10_000)
    text = visible_text(dom)
    assert "Weekly sales and marketing alignment report" in text
    assert "Funnel by stage" in text and "Data quality" in text
    # the summary on top, the trends, and the per-rep table with names (issue: leaders' view)
    assert text.index("What changed and what to look at") < text.index("Scorecard:")
    assert "Sales reps" in text and "Off target" in text
    assert "last 12 weeks, against their targets" in "".join(re.findall(r'alt="([^"]+)"', dom))
    con = duckdb.connect(str(demo_build.settings.duckdb_path), read_only=True)
    try:
        reps = [n for (n,) in con.execute("select owner_name from marts.dim_owner").fetchall()]
    finally:
        con.close()
    assert sum(name in text for name in reps if name) >= 3, "the per-rep table shows names"
    shot = screenshot(
        chromium,
        report.as_uri(),
        artifacts / "weekly_report.png",
        size=(1200, 9500),
        budget_ms=3000,
    )
    _check_png(shot)
    shutil.copytree(report.parent, artifacts / "weekly_report", dirs_exist_ok=True)


def test_make_ui_definitions_open_on_the_asset_graph(chromium: str, artifacts: Path) -> None:
    """What `make ui` serves: the code location pyproject.toml names (`revops`, loading
    orchestration.definitions) with the project's dagster.yaml."""
    prepare_manifest(Settings.from_env())
    with tempfile.TemporaryDirectory(prefix="dagster-home-") as home:
        shutil.copy(PROJECT_DIR / "dagster.yaml", Path(home) / "dagster.yaml")
        cli_run = _cli_run(Path(home), "full_pipeline")
        with dagster_server(
            None,
            PROJECT_DIR,
            Path(home),
            {},
            artifacts / "make_ui.log",
            command="webserver",
        ) as server:
            server.graphql("mutation { setNuxSeen }")
            assert location_names(server) == ["revops"]
            assert _job_page_runs(server, "full_pipeline") == [cli_run]
            text = visible_text(dump_dom(chromium, f"{server.url}/asset-groups"))
            for group in ("raw_salesforce", "staging", "marts"):
                assert group in text, group
            _check_png(
                screenshot(chromium, f"{server.url}/asset-groups", artifacts / "make_ui.png")
            )


def _cli_run(home: Path, job_name: str) -> str:
    """A run recorded as `revops run` records its runs (executed in process, CLI tags)."""
    from dagster import DagsterInstance
    from dagster._core.test_utils import create_run_for_test

    from orchestration.recovery import cli_run_tags

    with DagsterInstance.from_config(str(home)) as instance:
        return create_run_for_test(instance, job_name=job_name, tags=cli_run_tags()).run_id


def _job_page_runs(server: DagsterServer, job_name: str) -> list[str]:
    """The run ids the UI lists on a job's page (the query behind its runs tab)."""
    query = (
        "query($selector: PipelineSelector!) { pipelineOrError(params: $selector) {"
        " __typename ... on Pipeline { runs { runId } } } }"
    )
    selector = {
        "repositoryLocationName": "revops",
        "repositoryName": "__repository__",
        "pipelineName": job_name,
    }
    data = server.graphql(query, {"selector": selector})["data"]["pipelineOrError"]
    assert data["__typename"] == "Pipeline", data
    return [run["runId"] for run in data["runs"]]
