"""Rows that could not be loaded go to ``raw_quarantine.rejected_rows``, never nowhere.

One row per rejected record: the file, the line it starts on, the table, the reason (naming the
column and value where there is one), the original text (bytes that are not UTF-8 shown as
``\\xNN`` escapes), when and in which load. ``rejection_id`` (a hash of table, file name, line and
text) is the merge key, so reloading the same file does not duplicate quarantined rows.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa

from orchestration.ingest.casting import OutputColumn
from orchestration.ingest.contract import Table
from orchestration.ingest.dlt_load import TableLoad
from orchestration.ingest.reader import Reject, raw_lines_of

TABLE = "rejected_rows"
COLUMNS: tuple[tuple[str, str], ...] = (
    ("rejection_id", "text"),
    ("system", "text"),
    ("table_name", "text"),
    ("source_file", "text"),
    ("line_number", "bigint"),
    ("column_name", "text"),
    ("reason", "text"),
    ("raw_text", "text"),
    ("loaded_at", "timestamp"),
    ("load_id", "text"),
)
ARROW = {"text": pa.string(), "bigint": pa.int64(), "timestamp": pa.timestamp("us")}


@dataclass(frozen=True)
class Rejected:
    """The rejects of one file, ready to be written."""

    table: Table
    path: Path
    rejects: list[Reject]


def _rejection_id(table: Table, path: Path, reject: Reject, text: str) -> str:
    key = "\x1f".join([table.system, table.name, path.name, str(reject.line_number), text])
    return hashlib.sha256(key.encode("utf-8", errors="backslashreplace")).hexdigest()[:32]


def quarantine_load(files: list[Rejected], load_id: str) -> TableLoad | None:
    """The dlt load of every rejected record of ``files`` (None if there is none)."""
    rows: dict[str, list[object]] = {name: [] for name, _ in COLUMNS}
    loaded_at = datetime.now(UTC).replace(tzinfo=None)
    for item in files:
        missing = {r.line_number: r.nlines for r in item.rejects if r.raw_text is None}
        texts = raw_lines_of(item.path, missing)
        for reject in sorted(item.rejects, key=lambda r: r.line_number):
            text = reject.raw_text if reject.raw_text is not None else texts.get(reject.line_number)
            rows["rejection_id"].append(_rejection_id(item.table, item.path, reject, text or ""))
            rows["system"].append(item.table.system)
            rows["table_name"].append(item.table.name)
            rows["source_file"].append(str(item.path))
            rows["line_number"].append(reject.line_number)
            rows["column_name"].append(reject.column or None)
            rows["reason"].append(reject.reason)
            rows["raw_text"].append(None if text is None else text.replace("\x00", "\\x00"))
            rows["loaded_at"].append(loaded_at)
            rows["load_id"].append(load_id)
    if not rows["rejection_id"]:
        return None
    data = pa.table({name: pa.array(rows[name], ARROW[kind]) for name, kind in COLUMNS})
    columns = [OutputColumn(name=name, data_type=kind, source=None) for name, kind in COLUMNS]
    return TableLoad(name=TABLE, data=data, columns=columns, primary_key=["rejection_id"])
