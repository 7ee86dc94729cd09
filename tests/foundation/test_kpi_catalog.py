"""One MetricFlow metric per KPI, and the KPI page and the metrics in step.

docs/kpis.md defines each KPI once (a table row whose first cell is the KPI key and whose last
cell is its one metric). In models/semantic/_semantic__metrics.yml a KPI's metric carries
`config.meta.kpi` (that key), every other metric `config.meta.input`. Read from the files alone
(no dbt, no warehouse), so a near-duplicate metric (`sp_win_rate` beside `win_rate`) fails here
in a second.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import PROJECT_DIR

METRICS_FILE = PROJECT_DIR / "models" / "semantic" / "_semantic__metrics.yml"
KPI_PAGE = PROJECT_DIR / "docs" / "kpis.md"

#: a KPI row: | `key` | formula | grain | mart (column) | `metric` (optional note) |
_ROW = re.compile(r"^\|\s*`(?P<key>[a-z0-9_]+)`\s*\|.*\|\s*`(?P<metric>[a-z0-9_]+)`[^|]*\|\s*$")


def load_metrics(path: Path = METRICS_FILE) -> list[dict[str, Any]]:
    return yaml.safe_load(path.read_text())["metrics"]


def kpi_rows(text: str) -> list[tuple[str, str]]:
    """(KPI key, metric) of every KPI row of the page, in order."""
    return [(m["key"], m["metric"]) for m in map(_ROW.match, text.splitlines()) if m]


def meta(metric: dict[str, Any]) -> dict[str, Any]:
    return (metric.get("config") or {}).get("meta") or {}


def inputs_of(metric: dict[str, Any]) -> set[str]:
    """The metrics a metric is built from (ratio numerator/denominator, derived metrics)."""
    params = metric.get("type_params") or {}
    refs: list[Any] = [params.get("numerator"), params.get("denominator")]
    refs += params.get("metrics") or []
    names = set()
    for ref in refs:
        if isinstance(ref, dict):
            names.add(ref["name"])
        elif isinstance(ref, str):
            names.add(ref)
    return names


def catalog_problems(metrics: list[dict[str, Any]], rows: list[tuple[str, str]]) -> list[str]:
    """Every way the metrics and the KPI page disagree with 'one metric per KPI'."""
    problems: list[str] = []
    by_name = {m["name"]: m for m in metrics}
    kpi_of: dict[str, str] = {}
    for metric in metrics:
        tags = meta(metric)
        if ("kpi" in tags) == bool(tags.get("input")):
            problems.append(f"{metric['name']}: needs exactly one of meta.kpi and meta.input")
        if "kpi" in tags:
            if tags["kpi"] in kpi_of:
                problems.append(
                    f"KPI {tags['kpi']!r} has two metrics: {kpi_of[tags['kpi']]}, {metric['name']}"
                )
            kpi_of.setdefault(tags["kpi"], metric["name"])
    page = {}
    for key, metric_name in rows:
        if key in page:
            problems.append(f"docs/kpis.md defines KPI {key!r} twice")
        page[key] = metric_name
    for key, metric_name in page.items():
        if key not in kpi_of:
            problems.append(f"docs/kpis.md: KPI {key!r} has no metric with meta.kpi {key!r}")
        elif kpi_of[key] != metric_name:
            problems.append(f"docs/kpis.md: KPI {key!r} names {metric_name}, not {kpi_of[key]}")
    for key, metric_name in kpi_of.items():
        if key not in page:
            problems.append(f"metric {metric_name}: KPI {key!r} is not defined in docs/kpis.md")
    # every input metric feeds a KPI metric (directly or through other inputs)
    reached: set[str] = set()
    todo = [name for name in kpi_of.values()]
    while todo:
        for ref in inputs_of(by_name.get(todo.pop(), {})) - reached:
            reached.add(ref)
            todo.append(ref)
    for metric in metrics:
        if meta(metric).get("input") and metric["name"] not in reached:
            problems.append(f"{metric['name']}: meta.input but no KPI metric is built from it")
    return problems


def test_each_kpi_has_exactly_one_metric_and_one_definition() -> None:
    rows = kpi_rows(KPI_PAGE.read_text())
    assert len(rows) >= 40, "docs/kpis.md lost its KPI tables"
    assert catalog_problems(load_metrics(), rows) == []


def test_the_readme_sends_readers_to_the_kpi_page() -> None:
    readme = (PROJECT_DIR / "README.md").read_text()
    assert "(docs/kpis.md)" in readme
    assert kpi_rows(readme) == [], "KPI definitions belong to docs/kpis.md, not the README"


_SMALL = [
    {"name": "won", "config": {"meta": {"input": True}}},
    {"name": "closed", "config": {"meta": {"input": True}}},
    {
        "name": "win_rate",
        "type_params": {"numerator": "won", "denominator": "closed"},
        "config": {"meta": {"kpi": "win_rate"}},
    },
]
_ROWS = [("win_rate", "win_rate")]


_SP_WIN_RATE = {
    "name": "sp_win_rate",
    "type_params": {"numerator": "won", "denominator": "closed"},
    "config": {"meta": {"kpi": "win_rate"}},
}


@pytest.mark.parametrize(
    ("extra", "problem"),
    [
        (_SP_WIN_RATE, "has two metrics"),
        ({"name": "sp_win_rate"}, "needs exactly one"),
        ({"name": "orphan", "config": {"meta": {"input": True}}}, "no KPI metric is built from it"),
        (
            {"name": "cac", "type_params": {}, "config": {"meta": {"kpi": "cac"}}},
            "not defined in docs/kpis.md",
        ),
    ],
)
def test_the_check_catches_each_kind_of_duplicate(extra: dict[str, Any], problem: str) -> None:
    assert catalog_problems(_SMALL, _ROWS) == []
    assert any(problem in p for p in catalog_problems([*_SMALL, extra], _ROWS))


def test_a_kpi_of_the_page_without_metric_is_caught() -> None:
    problems = catalog_problems(_SMALL, [*_ROWS, ("paid_cac", "paid_cac")])
    assert any("no metric with meta.kpi 'paid_cac'" in p for p in problems)


def test_kpi_mart_measures_sum_stored_columns() -> None:
    """A measure on a KPI mart adds up a column the mart stores; it restates no formula.

    A ratio's denominator (won + lost, within + breached, ad spend + sales cost) is a column of
    the mart, computed there with the formula macros, so that a change of formula in
    macros/kpi_formulas.sql reaches MetricFlow without a second edit here. Null handling
    (`case when ... is null`, `coalesce`) is allowed; arithmetic between columns is not.
    """
    models = yaml.safe_load((METRICS_FILE.parent / "_semantic__models.yml").read_text())
    restated = [
        (model["model"], measure["name"], str(measure.get("expr")))
        for model in models["semantic_models"]
        if "kpi_" in model["model"]
        for measure in model.get("measures") or []
        if re.search(r"[-+*/]", str(measure.get("expr") or ""))
    ]
    assert not restated, restated
