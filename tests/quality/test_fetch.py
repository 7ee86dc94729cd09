"""Fetching DuckDB rows through Arrow gives the suites exactly the frames of the row path.

The raw-table suites validate DataFrames; at scale 10 building them from Python rows took most
of the raw_table_suites step. The Arrow path must not change what any expectation sees: the
same dtypes, values and missing values (None, NaN, NaT) for every column type it accepts.
"""

from __future__ import annotations

from collections.abc import Iterator

import duckdb
import pandas as pd
import pytest

from orchestration.quality.fetch import ARROW_SAFE_TYPES, _frame, duckdb_frame, run_query

SAMPLES = {
    "VARCHAR": "'a'",
    "BIGINT": "-7",
    "DOUBLE": "1.5",
    "BOOLEAN": "true",
    "TIMESTAMP": "'2024-01-01 10:00:00.123456'",
    "DATE": "'2024-01-01'",
    "DECIMAL(18,2)": "1.25",
    "DECIMAL(38,4)": "-3.5",
}
# Types whose Arrow conversion differs from the row path: they must take the row path.
UNSAFE = {
    "INTEGER": "1",
    "FLOAT": "1.5",
    "HUGEINT": "2",
    "UBIGINT": "3",
    "TIMESTAMPTZ": "'2024-01-01 10:00:00+02'",
    "TIMESTAMP_NS": "'2024-01-01 10:00:00.123456789'",
    "UUID": "'00000000-0000-0000-0000-000000000001'",
    "INTERVAL": "interval 1 day",
}
SHAPES = {
    "values": "({v}, 1::bigint), ({v}, 2)",
    "some null": "(null, 1::bigint), ({v}, 2)",
    "all null": "(null, 1::bigint), (null, 2)",
}


@pytest.fixture
def con() -> Iterator[duckdb.DuckDBPyConnection]:
    connection = duckdb.connect()
    connection.execute("set TimeZone = 'UTC'")
    yield connection
    connection.close()


def _sql(data_type: str, value: str, shape: str, empty: bool) -> str:
    rows = SHAPES[shape].format(v=f"{value}::{data_type}").replace("(null,", f"(null::{data_type},")
    return f"select * from (values {rows}) v(c, n)" + (" where false" if empty else "")


def _rows(con: duckdb.DuckDBPyConnection, sql: str) -> pd.DataFrame:
    cur = con.cursor()
    cur.execute(sql)
    return _frame(cur)


def assert_same(expected: pd.DataFrame, actual: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(expected, actual, check_exact=True)
    for i, column in enumerate(expected.columns):
        left, right = expected.iloc[:, i], actual.iloc[:, i]
        assert repr(left.dtype) == repr(right.dtype), column
        # None, NaN and NaT are all "missing" to assert_frame_equal: compare them exactly
        assert [repr(v) for v in left] == [repr(v) for v in right], column


@pytest.mark.parametrize("empty", [False, True], ids=["rows", "no rows"])
@pytest.mark.parametrize("shape", list(SHAPES))
@pytest.mark.parametrize("data_type", list(SAMPLES))
def test_arrow_frames_equal_row_frames(con, data_type, shape, empty):
    sql = _sql(data_type, SAMPLES[data_type], shape, empty)
    fast = duckdb_frame(con.cursor(), sql)
    assert fast is not None, f"{data_type} should take the Arrow path"
    assert_same(_rows(con, sql), fast)
    assert_same(_rows(con, sql), run_query(con, sql, "check"))


@pytest.mark.parametrize("data_type", list(UNSAFE))
def test_other_types_take_the_row_path(con, data_type):
    sql = _sql(data_type, UNSAFE[data_type], "some null", False)
    assert duckdb_frame(con.cursor(), sql) is None
    assert_same(_rows(con, sql), run_query(con, sql, "check"))


def test_the_safe_types_are_the_ones_tested():
    assert {t for t in SAMPLES if "(" not in t} == set(ARROW_SAFE_TYPES)


def test_duplicate_column_names_take_the_row_path(con):
    sql = "select 1::bigint as a, 2::bigint as a"
    assert duckdb_frame(con.cursor(), sql) is None
    assert_same(_rows(con, sql), run_query(con, sql, "check"))


def test_a_raw_table_frame_is_unchanged(con):
    """A raw table with every safe type and NULLs in some columns, as a suite fetches it."""
    con.execute(
        "create table t as select i::bigint as id, 'x' || i as name, "
        "case when i % 3 = 0 then null else i * 1.5 end as amount, i % 2 = 0 as flag, "
        "timestamp '2024-01-01' + to_seconds(i) as ts, "
        "case when i % 5 = 0 then null else date '2024-01-01' + i::int end as d "
        "from range(5000) r(i)"
    )
    sql = "select id, name, amount, flag, ts, d from t"
    assert duckdb_frame(con.cursor(), sql) is not None
    assert_same(_rows(con, sql), run_query(con, sql, "check"))


def test_a_rules_rows_come_in_one_order_whatever_order_the_database_returns() -> None:
    """A rule is `select *` without `order by`: its rows are sorted by every column (as text,
    so mixed types and nulls sort too), the same for any input order."""
    from orchestration.quality.runner import stable_order

    rows = [
        {"record_set": "b", "record_id": "2", "amount": None},
        {"record_set": "a", "record_id": "11", "amount": 1.5},
        {"record_set": "a", "record_id": "11", "amount": None},
        {"record_set": "a", "record_id": "2", "amount": 3},
    ]
    expected = [("a", "11", 1.5), ("a", "11", None), ("a", "2", 3), ("b", "2", None)]
    for order in ([0, 1, 2, 3], [3, 2, 1, 0], [2, 0, 3, 1]):
        frame = stable_order(pd.DataFrame([rows[i] for i in order], dtype=object))
        assert list(frame.index) == [0, 1, 2, 3]
        assert [tuple(r) for r in frame.itertuples(index=False)] == expected
    assert stable_order(pd.DataFrame()).empty
