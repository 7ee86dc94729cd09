"""The same company on Spark and on DuckDB: the same loads, the same marts row for row.

Loading: every landing file gives the same rows read, loaded and quarantined on both targets
(rows in = loaded + quarantined), and the raw and quarantine tables hold the same rows.
Marts: every public mart (conftest.SPARK_MARTS: each model of models/marts) equals the DuckDB build
as a multiset (tests/spark/compare.py: EXCEPT ALL both ways; timestamps as UTC instants,
decimals exactly, doubles to 9 decimals).
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa
import pytest

from tests.spark.compare import difference as _difference
from tests.spark.compare import duckdb_table, spark_table
from tests.spark.conftest import SPARK_MARTS, SparkDemo

pytestmark = [pytest.mark.spark, pytest.mark.slow]


def _spark_table(session: Any, name: str) -> pa.Table:
    return spark_table(session, name)


def _duckdb_table(demo: SparkDemo, name: str) -> pa.Table:
    return duckdb_table(demo.duckdb_path, name)


def test_loads_account_for_every_row_like_duckdb(spark_demo: SparkDemo) -> None:
    def by_table(results: list[Any]) -> dict[str, tuple[int, int, int, str]]:
        return {
            r.qualified_name: (r.rows_in_file, r.rows_loaded, r.rows_quarantined, r.status)
            for r in results
        }

    spark_loads = by_table(spark_demo.spark_loads)
    assert spark_loads == by_table(spark_demo.duckdb_loads)
    for name, (rows_in, loaded, quarantined, _) in spark_loads.items():
        assert rows_in == loaded + quarantined, name
    assert sum(r.rows_loaded for r in spark_demo.spark_loads) > 0


def test_raw_and_quarantine_tables_hold_the_same_rows(
    spark_demo: SparkDemo, spark_session: Any
) -> None:
    import duckdb

    con = duckdb.connect(str(spark_demo.duckdb_path), read_only=True)
    try:
        tables = con.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_schema like 'raw_%' and table_name not like '_dlt%' "
            "order by 1, 2"
        ).fetchall()
    finally:
        con.close()
    assert ("raw_quarantine", "rejected_rows") in tables, "the demo quarantines some rows"
    for schema, table in tables:
        duck = _duckdb_table(spark_demo, f'"{schema}"."{table}"')
        spark = _spark_table(spark_session, f"`{schema}`.`{table}`")
        ignored = {"_dlt_load_id", "_dlt_id", "loaded_at", "load_id", "source_file"}
        keep = [c for c in duck.column_names if c not in ignored]
        assert sorted(c.lower() for c in spark.column_names if c not in ignored) == sorted(
            c.lower() for c in keep
        ), f"{schema}.{table}: columns differ"
        only_duck, only_spark, examples = _difference(duck.select(keep), spark.select(keep))
        assert (only_duck, only_spark) == (0, 0), f"{schema}.{table}: {examples}"


@pytest.mark.parametrize("mart", SPARK_MARTS)
def test_mart_equals_the_duckdb_build(spark_demo: SparkDemo, spark_session: Any, mart: str) -> None:
    duck = _duckdb_table(spark_demo, f"marts.{mart}")
    spark = _spark_table(spark_session, f"marts.{mart}")
    assert spark.column_names == duck.column_names
    assert duck.num_rows > 0, f"{mart} is empty: the comparison would prove nothing"
    only_duck, only_spark, examples = _difference(duck, spark)
    assert (only_duck, only_spark) == (0, 0), (
        f"marts.{mart}: {only_duck} rows only on DuckDB, {only_spark} only on Spark: {examples}"
    )


def test_the_comparison_sees_a_changed_row(spark_demo: SparkDemo) -> None:
    """The parity check can fail: one changed value in a copy is found."""
    duck = _duckdb_table(spark_demo, f"marts.{SPARK_MARTS[0]}")
    changed = duck.slice(1).to_pylist()
    first = duck.slice(0, 1).to_pylist()[0]
    key = next(k for k, v in first.items() if isinstance(v, str))
    first[key] = first[key] + " (changed)"
    altered = pa.Table.from_pylist([first, *changed], schema=duck.schema)
    assert _difference(duck, altered)[:2] == (1, 1)
