"""`revops export`: the spreadsheet holds the marts' numbers, typed, and the YAML definitions.

Runs the command on the session's demo warehouse (tests/ops/demo_build.py), opens the workbook
with openpyxl and compares every sheet with its mart in the warehouse: row count, the sum of
every numeric column, typed cells; the definitions sheet against the YAML files themselves.
"""

from __future__ import annotations

import csv
import math
from datetime import datetime
from pathlib import Path

import duckdb
import pytest
import yaml

from orchestration.cli import main
from orchestration.export import EXPORTED_MARTS
from orchestration.settings import PROJECT_DIR
from tests.ops.demo_build import DemoBuild

NUMERIC = ("DOUBLE", "BIGINT", "INTEGER", "HUGEINT", "DECIMAL", "FLOAT", "SMALLINT")


def yaml_columns() -> dict[tuple[str, str], str]:
    """(model, column) -> description, read from the YAML files of the marts."""
    found = {}
    for path in (PROJECT_DIR / "models" / "marts").rglob("*.yml"):
        for model in yaml.safe_load(path.read_text()).get("models", []):
            for column in model.get("columns", []):
                found[(model["name"], column["name"])] = column.get("description", "")
    return found


@pytest.fixture(scope="module")
def exported(demo_build: DemoBuild, tmp_path_factory: pytest.TempPathFactory) -> Path:
    assert demo_build.success, demo_build.failures
    out = tmp_path_factory.mktemp("export")
    settings = demo_build.settings
    args = ["--duckdb-path", str(settings.duckdb_path), "--as-of", settings.as_of]
    assert main(["export", *args, "--out", str(out)]) == 0
    assert main(["export", *args, "--format", "csv", "--out", str(out / "csv")]) == 0
    return out


def test_xlsx_holds_the_numbers_of_the_marts(exported: Path, demo_build: DemoBuild) -> None:
    from openpyxl import load_workbook

    workbook = load_workbook(exported / "revops_marts.xlsx", read_only=True)
    assert workbook.sheetnames == [*EXPORTED_MARTS, "definitions"]
    con = duckdb.connect(str(demo_build.settings.duckdb_path), read_only=True)
    try:
        for mart in EXPORTED_MARTS:
            rows = list(workbook[mart].iter_rows(values_only=True))
            header, body = list(rows[0]), rows[1:]
            types = dict(
                con.execute(
                    "select column_name, data_type from information_schema.columns "
                    "where table_schema = 'marts' and table_name = ?",
                    [mart],
                ).fetchall()
            )
            assert header == list(types), mart
            assert len(body) == con.execute(f"select count(*) from marts.{mart}").fetchone()[0]
            assert len(body) > 0, mart
            for index, column in enumerate(header):
                values = [r[index] for r in body if r[index] is not None]
                kind = types[column]
                if kind.startswith(NUMERIC):
                    assert all(isinstance(v, int | float) for v in values), (mart, column)
                    expected = con.execute(
                        f"select coalesce(sum({column}), 0) from marts.{mart}"
                    ).fetchone()[0]
                    assert math.isclose(sum(values), float(expected), rel_tol=1e-9, abs_tol=1e-6)
                elif kind in ("DATE", "TIMESTAMP"):
                    assert values and all(isinstance(v, datetime) for v in values), (mart, column)
                elif kind == "BOOLEAN":
                    assert all(isinstance(v, bool) for v in values), (mart, column)
    finally:
        con.close()
        workbook.close()


def test_definitions_sheet_carries_the_yaml_descriptions(exported: Path) -> None:
    from openpyxl import load_workbook

    workbook = load_workbook(exported / "revops_marts.xlsx", read_only=True)
    rows = list(workbook["definitions"].iter_rows(values_only=True))
    workbook.close()
    assert rows[0] == ("sheet", "column", "type", "description")
    described = {(s, c): d for s, c, _, d in rows[1:] if c}
    documented = yaml_columns()
    assert {s for s, _ in described} == set(EXPORTED_MARTS)
    for key, description in described.items():
        assert description == documented[key].strip() or description == documented[key], key
    assert described[("kpi_sales_performance", "owner_name")]


def test_csv_export_has_one_file_per_mart(exported: Path, demo_build: DemoBuild) -> None:
    con = duckdb.connect(str(demo_build.settings.duckdb_path), read_only=True)
    try:
        for mart in EXPORTED_MARTS:
            with (exported / "csv" / f"{mart}.csv").open(newline="") as fh:
                rows = list(csv.reader(fh))
            assert len(rows) - 1 == con.execute(f"select count(*) from marts.{mart}").fetchone()[0]
    finally:
        con.close()
