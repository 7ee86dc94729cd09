"""Cast the text columns of a :class:`RawBatch` to the contract's types, in one DuckDB query.

Every row either gets all its values typed or is rejected with a reason naming the column and
the value: a non-empty value that does not cast, a missing required value, a value holding a
NUL byte (PostgreSQL text cannot store one), or a line equal to the header (a duplicated
header). Rules:

* empty strings are NULL (for every type, text included);
* ``timestamp``: ISO-8601 with ``Z``, an offset or naive (naive means UTC), stored as a naive
  UTC timestamp, so ``cast(x as timestamp)`` downstream never depends on a session time zone;
* ``boolean``: true/false, 1/0, yes/no, t/f, y/n in any case;
* ``bigint``: an integer, or a number with no fraction (``12.0``); ``double``: a finite number;
* ``date``: ``YYYY-MM-DD`` (a timestamp string keeps its date);
* columns not in the contract are kept as text (schema drift); contract columns absent from the
  file are added as typed NULLs so the table always has the contract's shape.

Tables without a primary key (``ads.ad_stats``) get ``_row_key``: a hash of the row's typed
contract values (without ``_fivetran_synced``, without drift columns and without contract
columns marked ``meta.row_key: false`` - those added to the contract later - so a column that
appears later does not re-key, and double count, every re-delivered row) plus the occurrence
number of that hash in the file, so a reload is idempotent while legitimately repeated rows
are all kept. Tables with a key keep one row per key: the latest ``_fivetran_synced``, then
the last line of the file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from orchestration.ingest.contract import SYNCED_COLUMN, Table
from orchestration.ingest.reader import RawBatch, Reject, csv_source_sql

ROW_KEY = "_row_key"
ARROW_TYPES = {
    "text": pa.string(),
    "bigint": pa.int64(),
    "double": pa.float64(),
    "boolean": pa.bool_(),
    "date": pa.date32(),
    "timestamp": pa.timestamp("us"),
}
SQL_TYPES = {
    "text": "varchar",
    "bigint": "bigint",
    "double": "double",
    "boolean": "boolean",
    "date": "date",
    "timestamp": "timestamp",
}
TYPE_WORDS = {
    "bigint": "an integer",
    "double": "a number",
    "boolean": "a boolean",
    "date": "a date",
    "timestamp": "a timestamp",
}


@dataclass(frozen=True)
class OutputColumn:
    """A column of the loaded table: its name, contract type and where it comes from."""

    name: str
    data_type: str
    source: str | None  # c<i> in the raw batch, or None when absent from the file
    required: bool = False
    new: bool = False
    row_key: bool = True  # part of a keyless table's row key (contract meta.row_key)


@dataclass
class TypedBatch:
    """Typed rows ready for dlt, and every rejected record of the file (parse and type)."""

    data: pa.Table
    columns: list[OutputColumn]
    rejects: list[Reject]
    rows_in_file: int
    superseded: int = 0
    exact_path: bool = False

    @property
    def rows_loaded(self) -> int:
        return self.data.num_rows + self.superseded


def q(name: str) -> str:
    """A quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def lit(text: str) -> str:
    """A SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def plan_columns(file_columns: list[str], table: Table) -> list[OutputColumn]:
    """Contract columns first (in contract order), then new columns in file order."""
    position = {name: i for i, name in enumerate(file_columns)}
    required = set(table.required_columns)
    out = [
        OutputColumn(
            name=col.name,
            data_type=col.data_type,
            source=f"c{position[col.name]}" if col.name in position else None,
            required=col.name in required,
            row_key=col.row_key,
        )
        for col in table.columns
    ]
    known = {c.name for c in table.columns}
    out += [
        OutputColumn(name=name, data_type="text", source=f"c{i}", new=True)
        for i, name in enumerate(file_columns)
        if name not in known
    ]
    return out


def _typed_expr(v: str, data_type: str) -> str:
    if data_type == "text":
        return v
    if data_type == "bigint":
        d = f"try_cast({v} as double)"
        # DuckDB's cast from text rounds ('12.5' -> 13): only a value without a fraction is an
        # integer; the text cast keeps integers beyond a double's precision exact.
        return (
            f"case when isfinite({d}) and {d} = trunc({d}) "
            f"then coalesce(try_cast({v} as bigint), try_cast({d} as bigint)) end"
        )
    if data_type == "double":
        d = f"try_cast({v} as double)"
        return f"case when isfinite({d}) then {d} end"
    if data_type == "boolean":
        # DuckDB's cast takes true/false, t/f, 1/0, yes/no, y/n in any case; trim only if needed
        return f"coalesce(try_cast({v} as boolean), try_cast(trim({v}) as boolean))"
    if data_type == "date":
        return f"coalesce(try_cast({v} as date), try_cast(trim({v}) as date))"
    if data_type == "timestamp":
        # the session time zone is UTC: naive strings are UTC, offsets are converted
        return f"cast(try_cast({v} as timestamptz) as timestamp)"
    raise ValueError(f"unknown data type {data_type}")


def _connect() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("set TimeZone = 'UTC'")
    con.execute("set enable_progress_bar = false")
    return con


def cast_batch(batch: RawBatch, table: Table) -> TypedBatch:
    """Type the rows of a parsed batch; rows that do not type become rejects."""
    columns = plan_columns(batch.columns, table)
    con = _connect()
    try:
        con.register("src", batch.data)
        sql = _typing_sql(batch.columns, columns, "src", batch.path.suffix == ".csv", True)
        typed = con.sql(sql).to_arrow_table()
        return _finish(con, typed, table, columns, batch.rejects, batch.exact_path)
    finally:
        con.close()


def cast_csv_fast(
    path: Path, file_columns: list[str], table: Table, physical_lines: int
) -> TypedBatch | None:
    """Parse and type a CSV file in one DuckDB scan (the fast path of ``reader.py``).

    None when the file needs the exact parser: DuckDB rejected a line, failed, or returned a
    record count other than one per physical line (blank lines, quoted newlines).
    """
    columns = plan_columns(file_columns, table)
    con = _connect()
    try:
        source = csv_source_sql(path, len(file_columns))
        typed = con.sql(_typing_sql(file_columns, columns, source, True, False)).to_arrow_table()
        rejected = con.execute("select count(*) from reject_errors").fetchall()[0][0]
        if rejected or typed.num_rows != physical_lines - 1:
            return None
        n = typed.num_rows
        typed = typed.append_column("_line", pa.array(np.arange(2, n + 2, dtype=np.int64)))
        typed = typed.append_column("_nlines", pa.array(np.ones(n, dtype=np.int32)))
        return _finish(con, typed, table, columns, [], False)
    except duckdb.Error:
        return None
    finally:
        con.close()


def _finish(
    con: duckdb.DuckDBPyConnection,
    typed: pa.Table,
    table: Table,
    columns: list[OutputColumn],
    parse_rejects: list[Reject],
    exact_path: bool,
) -> TypedBatch:
    """Split typed rows into good rows and rejects, then key them."""
    rows_in_file = typed.num_rows + len(parse_rejects)
    bad_mask = pc.is_valid(typed.column("_reason"))
    if pc.any(bad_mask).as_py():
        rejected = typed.filter(bad_mask).select(["_line", "_nlines", "_reason", "_column"])
        good = typed.filter(pc.invert(bad_mask))
    else:
        rejected = None
        good = typed
    good = good.drop_columns(["_reason", "_column", "_nlines"])
    good, superseded = _keyed(con, good, table, columns)
    names = [c.name for c in columns] + ([] if table.primary_key else [ROW_KEY])
    rejects = list(parse_rejects)
    if rejected is not None:
        rejects += [
            Reject(line_number=line, reason=reason, column=column or "", nlines=nlines)
            for line, nlines, reason, column in zip(
                rejected.column("_line").to_pylist(),
                rejected.column("_nlines").to_pylist(),
                rejected.column("_reason").to_pylist(),
                rejected.column("_column").to_pylist(),
                strict=True,
            )
        ]
    return TypedBatch(
        data=good.rename_columns(names),
        columns=columns,
        rejects=rejects,
        rows_in_file=rows_in_file,
        superseded=superseded,
        exact_path=exact_path,
    )


def _typing_sql(
    file_columns: list[str],
    columns: list[OutputColumn],
    source: str,
    check_header: bool,
    with_lines: bool,
) -> str:
    values = []
    checks: list[tuple[str, str, str]] = []  # (condition, reason expression, column)
    for i, col in enumerate(columns):
        out = f"o{i}"
        if col.source is None:
            values.append(f"cast(null as {SQL_TYPES[col.data_type]}) as {out}")
            continue
        v = f"nullif({col.source}, '')"
        values.append(f"{_typed_expr(v, col.data_type)} as {out}")
        # PostgreSQL text cannot hold a NUL character: the row is quarantined on every target
        # (a DuckDB warehouse and a PostgreSQL one load the same rows)
        checks.append(
            (
                f"strpos({col.source}, chr(0)) > 0",
                lit(f"column {col.name}: contains a NUL byte (0x00), which text cannot hold"),
                col.name,
            )
        )
        if col.data_type != "text":
            checks.append(
                (
                    f"{v} is not null and {out} is null",
                    f"{lit(f'column {col.name}: ')} || left({v}, 80)::varchar || "
                    f"{lit(f' is not {TYPE_WORDS[col.data_type]}')}",
                    col.name,
                )
            )
        if col.required:
            checks.append(
                (f"{v} is null", lit(f"column {col.name}: required value is missing"), col.name)
            )
    header_cells = [f"c{i} = {lit(name)}" for i, name in enumerate(file_columns)]
    duplicated_header = " and ".join(header_cells) if check_header and header_cells else "false"
    reasons = ", ".join(f"case when {cond} then {reason} end" for cond, reason, _ in checks)
    any_failed = " or ".join(f"({cond})" for cond, _, _ in checks)
    # CASE is evaluated lazily: the reason text is only built for failing rows
    reason_expr = (
        f"case when {any_failed} then concat_ws('; ', {reasons}) end" if checks else "null::varchar"
    )
    column_expr = (
        "coalesce("
        + ", ".join(f"case when {cond} then {lit(name)} end" for cond, _, name in checks)
        + ")"
        if checks
        else "null::varchar"
    )
    outs = ", ".join(f"o{i}" for i in range(len(columns)))
    lines = "_line, _nlines," if with_lines else ""
    return f"""
        with typed as (
            select {", ".join(values)}, *
            from {source}
        )
        select
            {outs},
            {lines}
            case when {duplicated_header} then 'duplicated header line' else {reason_expr}
            end as _reason,
            case when {duplicated_header} then null else {column_expr} end as _column
        from typed
    """


def _keyed(
    con: duckdb.DuckDBPyConnection, good: pa.Table, table: Table, columns: list[OutputColumn]
) -> tuple[pa.Table, int]:
    """Add the row key of keyless tables, or keep the latest row per primary key."""
    position = {c.name: f"o{i}" for i, c in enumerate(columns)}
    outs = [f"o{i}" for i in range(len(columns))]
    con.register("good", good)
    if not table.primary_key:
        hashed = [
            f"coalesce(cast({position[c.name]} as varchar), chr(0))"
            for c in columns
            if c.name != SYNCED_COLUMN and not c.new and c.row_key
        ]
        digest = f"md5(concat_ws(chr(31), {', '.join(hashed)}))"
        sql = f"""
            select {", ".join(outs)},
                {digest} || '-' || row_number() over (partition by {digest} order by _line)
                    as _row_key
            from good
            order by _line
        """
        return con.sql(sql).to_arrow_table(), 0
    keys = ", ".join(position[k] for k in table.primary_key)
    duplicates = con.execute(f"select count(*) - count(distinct row({keys})) from good").fetchall()[
        0
    ][0]
    if not duplicates:
        return good.drop_columns(["_line"]), 0
    synced = position.get(SYNCED_COLUMN)
    order = (f"{synced} desc nulls last, " if synced else "") + "_line desc"
    sql = f"""
        select {", ".join(outs)}
        from good
        qualify row_number() over (partition by {keys} order by {order}) = 1
        order by _line
    """
    return con.sql(sql).to_arrow_table(), int(duplicates)
