"""Compare tables of a Spark build with the DuckDB build of the same landing files.

A table is equal when both hold the same rows as multisets (EXCEPT ALL both ways, in DuckDB over
the Spark table fetched as Arrow): order-independent, timestamps compared as UTC instants,
decimals exactly, doubles rounded to 9 decimals (two engines' parallel sums may differ in the
last bit). Used by the parity tests and, on a whole `revops run` of each target, from the
command line (docs/spark.md):

    python -m tests.spark.compare WAREHOUSE.duckdb SPARK_DIR [SCHEMA]
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa

DOUBLE_DECIMALS = 9


@dataclass(frozen=True)
class Comparison:
    table: str
    duckdb_rows: int
    spark_rows: int
    only_duckdb: int
    only_spark: int
    examples: list[Any]
    problem: str | None = None  # columns differ, or a table is missing

    @property
    def equal(self) -> bool:
        return self.problem is None and (self.only_duckdb, self.only_spark) == (0, 0)

    def line(self) -> str:
        if self.problem:
            return f"{self.table}: {self.problem}"
        if self.equal:
            return f"{self.table}: equal ({self.duckdb_rows} rows)"
        return (
            f"{self.table}: differ ({self.duckdb_rows} rows on DuckDB, {self.spark_rows} on "
            f"Spark; {self.only_duckdb} only on DuckDB, {self.only_spark} only on Spark), "
            f"e.g. {self.examples[:2]}"
        )


def utc_naive(table: pa.Table) -> pa.Table:
    """Timestamps as naive UTC (Spark hands out UTC-zoned Arrow timestamps)."""
    fields = []
    for f in table.schema:
        if pa.types.is_timestamp(f.type):
            fields.append(pa.field(f.name, pa.timestamp("us")))
        else:
            fields.append(f)
    return table.cast(pa.schema(fields))


def spark_table(session: Any, name: str) -> pa.Table:
    return utc_naive(session.table(name).toArrow())


def duckdb_table(path: Path, name: str) -> pa.Table:
    import duckdb

    con = duckdb.connect(str(path), read_only=True)
    try:
        return utc_naive(con.execute(f"select * from {name}").to_arrow_table())
    finally:
        con.close()


def difference(left: pa.Table, right: pa.Table) -> tuple[int, int, list[Any]]:
    """(rows only in left, rows only in right, a few examples), multisets, doubles rounded."""
    import duckdb

    con = duckdb.connect()
    con.register("left_rows", left)
    con.register("right_rows", right)
    columns = []
    for f in left.schema:
        quoted = '"' + f.name.replace('"', '""') + '"'
        if pa.types.is_floating(f.type):
            columns.append(f"round({quoted}, {DOUBLE_DECIMALS}) as {quoted}")
        else:
            columns.append(quoted)
    select = ", ".join(columns)
    only_left = f"select {select} from left_rows except all select {select} from right_rows"
    only_right = f"select {select} from right_rows except all select {select} from left_rows"
    a = con.execute(f"select count(*) from ({only_left})").fetchone()[0]
    b = con.execute(f"select count(*) from ({only_right})").fetchone()[0]
    examples = con.execute(f"{only_left} limit 3").fetchall()
    examples += con.execute(f"{only_right} limit 3").fetchall()
    con.close()
    return a, b, examples


def duckdb_tables(path: Path, schema: str) -> list[str]:
    import duckdb

    con = duckdb.connect(str(path), read_only=True)
    try:
        rows = con.execute(
            "select table_name from duckdb_tables() where schema_name = ? order by 1", [schema]
        ).fetchall()
    finally:
        con.close()
    return [r[0] for r in rows]


def compare_table(duckdb_path: Path, session: Any, schema: str, table: str) -> Comparison:
    """One table of ``schema`` on both builds (columns by name, in DuckDB's order)."""
    duck = duckdb_table(duckdb_path, f'"{schema}"."{table}"')
    if not session.catalog.tableExists(f"{schema}.{table}"):
        return Comparison(table, duck.num_rows, 0, 0, 0, [], "missing on Spark")
    spark = spark_table(session, f"`{schema}`.`{table}`")
    if sorted(spark.column_names) != sorted(duck.column_names):
        extra = sorted(set(spark.column_names) ^ set(duck.column_names))
        return Comparison(
            table, duck.num_rows, spark.num_rows, 0, 0, [], f"columns differ: {extra}"
        )
    try:
        only_duck, only_spark, examples = difference(duck, spark.select(duck.column_names))
    except Exception as exc:  # a column of incomparable types
        return Comparison(
            table, duck.num_rows, spark.num_rows, 0, 0, [], f"not comparable: {exc}"[:300]
        )
    return Comparison(table, duck.num_rows, spark.num_rows, only_duck, only_spark, examples)


def compare_schema(duckdb_path: Path, session: Any, schema: str = "marts") -> list[Comparison]:
    """Every base table of ``schema`` in the DuckDB build, against Spark's table."""
    tables = duckdb_tables(duckdb_path, schema)
    return [compare_table(duckdb_path, session, schema, t) for t in tables]


def main(argv: list[str]) -> int:
    from orchestration import spark
    from orchestration.settings import Settings

    duckdb_path, spark_dir = Path(argv[0]), Path(argv[1])
    schema = argv[2] if len(argv) > 2 else "marts"
    settings = Settings.from_env({"REVOPS_TARGET": "spark", "REVOPS_SPARK_DIR": str(spark_dir)})
    try:
        results = compare_schema(duckdb_path, spark.session(settings), schema)
    finally:
        spark.release()
    for result in results:
        print(result.line())
    equal = sum(r.equal for r in results)
    print(f"{equal} of {len(results)} tables of {schema} equal")
    return 0 if equal == len(results) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
