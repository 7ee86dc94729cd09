"""Read landing files as text, keeping every line accounted for.

A :class:`RawBatch` is an Arrow table with one string column per file column (named ``c0..cN``
so no file header can break a SQL statement), the line number of every record (``_line``) and
how many physical lines it spans (``_nlines``), plus the lines that could not be parsed as
:class:`Reject` s. Typing happens in ``casting.py``.

CSV takes one of two paths:

* fast: DuckDB's multi-threaded ``read_csv`` (all VARCHAR, see :func:`csv_source_sql`), parsed
  and typed in one scan by ``casting.cast_csv_fast``. It is kept only when DuckDB rejects no
  line and returns exactly one record per physical line (so no blank lines and no quoted
  newlines), which makes record *k* line *k + 2*.
* exact: otherwise. Lines are split on ``\n`` and each is checked on its own, so a non-UTF-8
  byte rejects one line, not the file; plain lines (no quote, the header's column count) are
  accepted in bulk. A quoted value may span lines only if the joined record parses to the
  header's column count; otherwise just the first line is rejected and reading carries on (an
  unbalanced quote cannot swallow the rest of the file). The accepted records are then parsed
  by DuckDB from a temporary file, and the record count is checked again.
"""

from __future__ import annotations

import csv
import json
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa

from orchestration.ingest.results import IngestError

BOM = b"\xef\xbb\xbf"
CHUNK = 1 << 24
# The largest record (a quoted value may span any number of lines up to this many bytes). Python's
# csv module stops at 128 KiB per field and DuckDB's read_csv at 2 MB per line by default; CRM
# exports hold e-mail bodies and pasted threads far larger, so both are raised to this bound.
MAX_RECORD_BYTES = 64 * 2**20
SUFFIXES = (".csv", ".jsonl")


@dataclass(frozen=True)
class Reject:
    """A record that cannot be loaded; ``raw_text`` is the original text (bad bytes escaped)."""

    line_number: int
    reason: str
    raw_text: str | None = None
    column: str = ""
    nlines: int = 1


@dataclass
class RawBatch:
    """The parsed records of one file, as text, plus the rejected lines."""

    path: Path
    columns: list[str]
    data: pa.Table
    rejects: list[Reject] = field(default_factory=list)
    exact_path: bool = False

    @property
    def rows_in_file(self) -> int:
        return self.data.num_rows + len(self.rejects)


def _open_error(path: Path, where: str, exc: OSError) -> IngestError:
    return IngestError(f"{path}: cannot read the file for {where}: {exc}", file=str(path))


def read_header(path: Path, where: str) -> list[str]:
    """The column names of a CSV file's first line (a byte-order mark is skipped)."""
    try:
        with path.open("rb") as fh:
            first = fh.readline(CHUNK)
    except OSError as exc:
        raise _open_error(path, where, exc) from exc
    if first.startswith(BOM):
        first = first[len(BOM) :]
    line = first.rstrip(b"\r\n")
    if not line.strip():
        what = "is empty" if not first else "has an empty first line"
        raise IngestError(
            f"{path}: the file {what}: expected a header line with the columns of {where}",
            file=str(path),
        )
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise IngestError(
            f"{path}: the header line is not valid UTF-8 ({exc.reason} at byte {exc.start})",
            file=str(path),
        ) from exc
    try:
        _allow_large_fields()
        names = next(csv.reader([text], strict=True))
    except csv.Error as exc:
        raise IngestError(
            f"{path}: the header line cannot be parsed: {exc}", file=str(path)
        ) from exc
    names = [n.strip() for n in names]
    for i, name in enumerate(names, start=1):
        if not name:
            raise IngestError(f"{path}: header column {i} has no name", file=str(path))
    folded = [n.lower() for n in names]
    dupes = sorted({n for n in names if folded.count(n.lower()) > 1})
    if dupes:
        raise IngestError(
            f"{path}: the header names column(s) {', '.join(dupes)} more than once (column "
            "names are case-insensitive in the warehouse)",
            file=str(path),
        )
    return names


def read_csv_exact(path: Path, where: str) -> RawBatch:
    """Read a CSV file with the exact (line by line) parser."""
    columns = read_header(path, where)
    data, rejects = _read_csv_exact(path, len(columns))
    return RawBatch(path=path, columns=columns, data=data, rejects=rejects, exact_path=True)


def count_lines(path: Path, where: str) -> int:
    """Physical lines in the file (a last line without a newline counts)."""
    newlines = 0
    last = b""
    try:
        with path.open("rb") as fh:
            while chunk := fh.read(CHUNK):
                newlines += chunk.count(b"\n")
                last = chunk[-1:]
    except OSError as exc:
        raise _open_error(path, where, exc) from exc
    return newlines + (1 if last and last != b"\n" else 0)


def _sql_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def csv_source_sql(path: Path, ncols: int) -> str:
    """DuckDB's ``read_csv`` of the file: RFC 4180 quoting, all columns VARCHAR named
    ``c0..cN``, header skipped, bad lines recorded in ``reject_errors`` (not silently dropped)."""
    spec = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(ncols)) + "}"
    return (
        f"read_csv({_sql_literal(str(path))}, header = true, auto_detect = false,"
        f" delim = ',', quote = '\"', escape = '\"', columns = {spec}, strict_mode = true,"
        f" store_rejects = true, max_line_size = {MAX_RECORD_BYTES})"
    )


def _escape(raw: bytes) -> str:
    return raw.decode("utf-8", errors="backslashreplace")


def _allow_large_fields() -> None:
    """Let the csv module read fields up to MAX_RECORD_BYTES (its default is 128 KiB)."""
    if csv.field_size_limit() < MAX_RECORD_BYTES:
        csv.field_size_limit(MAX_RECORD_BYTES)


def _parse_one(text: str) -> list[str]:
    _allow_large_fields()
    rows = list(csv.reader([text], strict=True))
    if len(rows) != 1:
        raise csv.Error("not exactly one record")
    return rows[0]


def _decode_line(line: str) -> str | None:
    """The line if it is valid UTF-8 (it was decoded with ``surrogateescape``), else None."""
    if line.isascii():
        return line
    try:
        line.encode("utf-8")
    except UnicodeEncodeError:
        return None
    return line


def _read_csv_exact(path: Path, ncols: int) -> tuple[pa.Table, list[Reject]]:
    """Split the file into records line by line (see the module docstring for the recovery
    rules), then parse the accepted records in bulk with Arrow's CSV reader.

    Lines without quotes and with the right number of commas are accepted in bulk; only the
    others go through the record-by-record rules.
    """
    text = path.read_bytes().decode("utf-8", errors="surrogateescape")
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    lines = [line[:-1] if line.endswith("\r") else line for line in lines]
    commas = ncols - 1
    simple = ['"' not in line and line.count(",") == commas and line.isascii() for line in lines]
    simple[0] = False  # the header
    accepted: dict[int, tuple[str, int]] = {}  # line index -> (record text, line count)
    rejects: list[Reject] = []
    i = 1
    total = len(lines)
    while i < total:
        if simple[i]:
            i += 1
            continue
        line = lines[i]
        if not line:
            i += 1
            continue
        decoded = _decode_line(line)
        if decoded is None:
            raw = line.encode("utf-8", errors="surrogateescape")
            try:
                raw.decode("utf-8")
                reason = "not valid UTF-8"
            except UnicodeDecodeError as exc:
                reason = f"not valid UTF-8: byte {raw[exc.start]:#04x} at position {exc.start}"
            rejects.append(Reject(i + 1, reason, _escape(raw)))
            i += 1
            continue
        if '"' not in line:
            found = line.count(",") + 1
            if found == ncols:
                accepted[i] = (line, 1)
            else:
                reason = f"wrong column count: expected {ncols} columns, found {found}"
                rejects.append(Reject(i + 1, reason, line))
            i += 1
            continue
        error = ""
        try:
            fields = _parse_one(line)
        except csv.Error as exc:
            fields = []
            error = str(exc)
        if not error and len(fields) == ncols:
            accepted[i] = (line, 1)
            i += 1
            continue
        if error and line.count('"') % 2 == 1:
            joined = _join_quoted(lines, i, line, ncols)
            if joined is not None:
                accepted[i] = joined
                for k in range(i + 1, i + joined[1]):
                    simple[k] = False  # consumed by the multi-line record
                i += joined[1]
                continue
        if error:
            reason = (
                "unbalanced quote (a quoted value is not closed on this line)"
                if line.count('"') % 2 == 1
                else f"malformed quoting: {error}"
            )
        else:
            reason = f"wrong column count: expected {ncols} columns, found {len(fields)}"
        rejects.append(Reject(i + 1, reason, line))
        i += 1
    if accepted:
        order = sorted([k for k, ok in enumerate(simple) if ok] + list(accepted))
        records = [accepted[k][0] if k in accepted else lines[k] for k in order]
        spans = [accepted[k][1] if k in accepted else 1 for k in order]
    else:
        order = [k for k, ok in enumerate(simple) if ok]
        records = [lines[k] for k in order]
        spans = [1] * len(order)
    names = [f"c{i}" for i in range(ncols)]
    table = _parse_records(records, names)
    line_numbers = np.asarray(order, dtype=np.int64) + 1
    table = table.append_column("_line", pa.array(line_numbers, pa.int64()))
    table = table.append_column("_nlines", pa.array(spans, pa.int32()))
    return table, rejects


def _parse_records(records: list[str], names: list[str]) -> pa.Table:
    """Parse records already checked to have ``len(names)`` fields each, as strings: written to
    a temporary file and read by DuckDB's parallel CSV reader (several times faster than
    Arrow's on strings)."""
    if not records:
        return pa.table({n: pa.array([], pa.string()) for n in names})
    with tempfile.TemporaryDirectory(prefix="revops-ingest-") as tmp:
        path = Path(tmp) / "records.csv"
        with path.open("w", encoding="utf-8", newline="") as fh:
            fh.write(",".join(names))
            fh.write("\n")
            fh.write("\n".join(records))
            fh.write("\n")
        con = duckdb.connect()
        try:
            con.execute("set enable_progress_bar = false")
            table = con.sql(f"select * from {csv_source_sql(path, len(names))}").to_arrow_table()
            rejected = con.execute("select count(*) from reject_errors").fetchall()[0][0]
        finally:
            con.close()
    if table.num_rows == len(records) and not rejected:
        return table
    # DuckDB split some record differently: parse one record at a time (slow, always right)
    columns = list(zip(*(_parse_one(r) for r in records), strict=True))
    return pa.table({n: pa.array(col, pa.string()) for n, col in zip(names, columns, strict=True)})


def _join_quoted(lines: list[str], start: int, text: str, ncols: int) -> tuple[str, int] | None:
    """A record whose quoted value spans lines, if joining lines (up to MAX_RECORD_BYTES)
    balances the quotes and the record then has exactly ``ncols`` fields: (record text, line
    count); None otherwise. The scan stops at the first line that balances the quotes."""
    quotes = text.count('"')
    parts = [text]
    size = len(text)
    for j in range(start + 1, len(lines)):
        nxt = _decode_line(lines[j])
        if nxt is None:
            return None
        size += len(nxt) + 1
        if size > MAX_RECORD_BYTES:
            return None
        parts.append(nxt)
        quotes += nxt.count('"')
        if quotes % 2 == 0:
            record = "\n".join(parts)
            try:
                fields = _parse_one(record)
            except csv.Error:
                return None
            return (record, j - start + 1) if len(fields) == ncols else None
    return None


def _json_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value, ensure_ascii=False)


def _check_case_collision(
    path: Path, where: str, spellings: dict[str, tuple[str, int]], name: str, line: int
) -> None:
    """Two keys that differ only by case cannot both be columns: the warehouse folds case."""
    first, first_line = spellings.setdefault(name.lower(), (name, line))
    if first != name:
        raise IngestError(
            f"{path}: the keys {first!r} (line {first_line}) and {name!r} (line {line}) differ "
            f"only by case; column names are case-insensitive in the warehouse, so they cannot "
            f"both be columns of {where}: rename one in the export (nothing of this file was "
            "loaded)",
            file=str(path),
        )


def read_jsonl(path: Path, where: str) -> RawBatch:
    """Read a JSON-lines file: one object per line; keys are columns (first-seen order)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise _open_error(path, where, exc) from exc
    if data.startswith(BOM):
        data = data[len(BOM) :]
    if not data.strip():
        raise IngestError(
            f"{path}: the file is empty: expected JSON objects with the columns of {where}",
            file=str(path),
        )
    if data.lstrip().startswith(b"["):
        raise IngestError(
            f"{path}: the file is one JSON array, not JSON lines: write one object per line "
            f"(e.g. `jq -c '.[]'`) with the columns of {where}",
            file=str(path),
        )
    keys: dict[str, int] = {}
    spellings: dict[str, tuple[str, int]] = {}  # lowercased key -> (first spelling, its line)
    rows: list[dict[str, Any]] = []
    line_numbers: list[int] = []
    rejects: list[Reject] = []
    for number, raw in enumerate(data.split(b"\n"), start=1):
        raw = raw.rstrip(b"\r")
        if not raw.strip():
            continue
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            reason = f"not valid UTF-8: byte {raw[exc.start]:#04x} at position {exc.start}"
            rejects.append(Reject(number, reason, _escape(raw)))
            continue
        try:
            obj = json.loads(text)
        except json.JSONDecodeError as exc:
            rejects.append(Reject(number, f"not valid JSON: {exc.msg}", text))
            continue
        if not isinstance(obj, dict):
            rejects.append(Reject(number, "not a JSON object", text))
            continue
        for key in obj:
            name = str(key).strip()
            if name not in keys:
                _check_case_collision(path, where, spellings, name, number)
                keys[name] = len(keys)
        rows.append({str(k).strip(): v for k, v in obj.items()})
        line_numbers.append(number)
    columns = list(keys)
    arrays = [pa.array([_json_text(r.get(k)) for r in rows], pa.string()) for k in columns]
    arrays += [
        pa.array(line_numbers, pa.int64()),
        pa.repeat(pa.scalar(1, pa.int32()), len(rows)),
    ]
    names = [f"c{i}" for i in range(len(columns))] + ["_line", "_nlines"]
    table = pa.Table.from_arrays(arrays, names=names)
    return RawBatch(path=path, columns=columns, data=table, rejects=rejects, exact_path=True)


def raw_lines_of(path: Path, spans: dict[int, int]) -> dict[int, str]:
    """The original text of records starting at the given line numbers (line -> line count),
    read in one pass; bytes that are not UTF-8 are shown as escapes."""
    out: dict[int, str] = {}
    if not spans:
        return out
    wanted_last = max(n + spans[n] - 1 for n in spans)
    pending: dict[int, list[bytes]] = {}
    with path.open("rb") as fh:
        for number, raw in enumerate(fh, start=1):
            if number > wanted_last:
                break
            if number == 1 and raw.startswith(BOM):
                raw = raw[len(BOM) :]
            if number in spans:
                pending[number] = []
            for start in list(pending):
                pending[start].append(raw.rstrip(b"\r\n"))
                if len(pending[start]) >= spans[start]:
                    out[start] = _escape(b"\n".join(pending.pop(start)))
    for start, parts in pending.items():
        out[start] = _escape(b"\n".join(parts))
    return out
