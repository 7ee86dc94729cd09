"""`revops export`: the marts the teams open in a spreadsheet (xlsx or csv).

The scorecard, funnel, channel and sales marts, one sheet (or csv file) each, read from the
warehouse (DuckDB or PostgreSQL) as they are; cells keep their type (numbers, dates, booleans,
text; an empty cell is a null). A ``definitions`` sheet lists every exported column with its
type and its description from the dbt YAML (the model descriptions first), taken from the parsed
dbt manifest, so a spreadsheet carries the same definitions as the marts.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from orchestration.settings import Settings
from orchestration.warehouse import connect

# one sheet each, in workbook order
EXPORTED_MARTS = (
    "kpi_weekly_scorecard",
    "kpi_funnel_conversion",
    "kpi_channel_performance",
    "kpi_sales_performance",
)
FORMATS = ("xlsx", "csv")
WORKBOOK = "revops_marts.xlsx"
DEFINITIONS = "definitions"


@dataclass(frozen=True)
class MartData:
    """One mart as read: column names, rows of Python values."""

    name: str
    columns: list[str]
    rows: list[tuple[Any, ...]]


def _cell(value: Any) -> Any:
    """A spreadsheet-typed value: Decimal as float, time zones dropped (values are UTC)."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)
    return value


def read_marts(settings: Settings, marts: Sequence[str] = EXPORTED_MARTS) -> list[MartData]:
    """The marts' rows, in a stable order (their first column, the key or the period)."""
    data = []
    with connect(settings, read_only=settings.target == "duckdb") as con:
        for mart in marts:
            cur = con.cursor()
            cur.execute(f"select * from marts.{mart} order by 1")
            columns = [d[0] for d in cur.description]
            rows = [tuple(_cell(v) for v in row) for row in cur.fetchall()]
            data.append(MartData(mart, columns, rows))
    return data


Docs = dict[str, tuple[str, dict[str, tuple[str, str]]]]


def descriptions(manifest_path: Path) -> Docs:
    """mart -> (model description, {column: (data type, description)}) from the dbt manifest
    (the public marts' contracts give every column its type)."""
    nodes = json.loads(manifest_path.read_text())["nodes"].values()
    return {
        n["name"]: (
            n.get("description", ""),
            {
                c: (meta.get("data_type") or "", meta.get("description", ""))
                for c, meta in n.get("columns", {}).items()
            },
        )
        for n in nodes
        if n["resource_type"] == "model"
    }


def definition_rows(data: Sequence[MartData], docs: Docs) -> list[tuple[str, str, str, str]]:
    """(sheet, column, type, description): one row per sheet (column empty), then its columns."""
    rows: list[tuple[str, str, str, str]] = []
    for mart in data:
        model, columns = docs.get(mart.name, ("", {}))
        rows.append((mart.name, "", "table", model))
        for name in mart.columns:
            kind, description = columns.get(name, ("", ""))
            rows.append((mart.name, name, kind, description))
    return rows


def write_xlsx(path: Path, data: Sequence[MartData], definitions: list[tuple[str, ...]]) -> None:
    """One sheet per mart (bold frozen header, filters) and the definitions sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    workbook.remove(workbook.active)
    header = ("sheet", "column", "type", "description")
    for title, columns, rows in [
        *((m.name, m.columns, m.rows) for m in data),
        (DEFINITIONS, list(header), definitions),
    ]:
        sheet = workbook.create_sheet(title=title[:31])
        sheet.append(columns)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append(list(row))
        for index, _ in enumerate(columns, start=1):
            column = sheet.column_dimensions[get_column_letter(index)]
            column.width = 60 if title == DEFINITIONS and index == 4 else 18
        for cells in sheet.iter_rows(min_row=2):
            for cell in cells:
                if isinstance(cell.value, datetime):
                    cell.number_format = "yyyy-mm-dd hh:mm:ss"
                elif isinstance(cell.value, date):
                    cell.number_format = "yyyy-mm-dd"
        sheet.freeze_panes = "A2"
        if rows:
            sheet.auto_filter.ref = sheet.dimensions
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    workbook.save(tmp)
    tmp.replace(path)


def write_csv(folder: Path, data: Sequence[MartData], definitions: list[tuple[str, ...]]) -> None:
    """<mart>.csv per mart (ISO dates, empty = null) and definitions.csv."""
    folder.mkdir(parents=True, exist_ok=True)
    tables = [(m.name, m.columns, m.rows) for m in data]
    tables.append((DEFINITIONS, ["sheet", "column", "type", "description"], definitions))
    for name, columns, rows in tables:
        with (folder / f"{name}.csv").open("w", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(columns)
            writer.writerows(rows)


def export(settings: Settings, fmt: str, out: Path, manifest_path: Path) -> list[Path]:
    """Write the export; the paths written."""
    if fmt not in FORMATS:
        raise ValueError(f"export format {fmt!r}: expected one of {', '.join(FORMATS)}")
    data = read_marts(settings)
    definitions = definition_rows(data, descriptions(manifest_path))
    if fmt == "xlsx":
        path = out / WORKBOOK
        write_xlsx(path, data, definitions)
        return [path]
    write_csv(out, data, definitions)
    return [out / f"{name}.csv" for name in (*EXPORTED_MARTS, DEFINITIONS)]
