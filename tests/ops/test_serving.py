"""The BI serving file: refreshed atomically under readers, readable by a DuckDB 1.x client.

The refresh tests use a tiny warehouse of their own (no dbt). The client test reads the demo
company's serving file, written by the serving asset at the end of the session's demo run
(tests/ops/demo_build.py), with DuckDB 1.1.3 installed in a separate virtual environment
(cached in .cache/, about 15 s to create), as a BI tool with an older driver would.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from orchestration.serving import MANIFEST, refresh
from orchestration.settings import PROJECT_DIR, Settings
from tests.ops.demo_build import DemoBuild

DUCKDB1_VERSION = "1.1.3"
ROWS = 200_000


def tiny_warehouse(path: Path, version: int) -> None:
    """marts.a and marts.b (every row carries ``version``), a view and a raw table with PII."""
    con = duckdb.connect(str(path))
    try:
        for schema in ("marts", "raw_salesforce"):
            con.execute(f"create schema if not exists {schema}")
        for table in ("a", "b"):
            con.execute(
                f"create or replace table marts.{table} as "
                f"select range as id, {version} as version from range({ROWS})"
            )
        con.execute("comment on table marts.a is 'Table a.'")
        con.execute("comment on column marts.a.version is 'The build.'")
        con.execute(
            "create or replace table raw_salesforce.lead as "
            "select 'jane.doe@example.com' as email, 'Jane' as first_name"
        )
    finally:
        con.close()


READER = textwrap.dedent(
    """
    import sys, duckdb
    con = duckdb.connect(sys.argv[1], read_only=True)
    sql = ("select (select min(version) from a), (select max(version) from b), "
           "(select count(*) from b)")
    print(*con.execute(sql).fetchone(), flush=True)
    sys.stdin.readline()
    print(*con.execute(sql).fetchone(), flush=True)
    """
)

POLLER = textwrap.dedent(
    """
    import json, sys, time, duckdb
    seen, errors, end = [], [], time.monotonic() + float(sys.argv[2])
    while time.monotonic() < end:
        try:
            con = duckdb.connect(sys.argv[1], read_only=True)
            seen.append(con.execute(
                "select (select min(version) from a), (select max(version) from b), "
                "(select count(*) from a) + (select count(*) from b)"
            ).fetchone())
            con.close()
        except Exception as exc:
            errors.append(repr(exc))
    print(json.dumps({"seen": sorted(set(seen)), "errors": errors}))
    """
)


TINY_AS_OF = datetime(2026, 1, 1, 8, 0)  # the run's as_of, naive UTC


@pytest.fixture
def tiny(tmp_path: Path) -> Settings:
    settings = Settings.from_env({}).with_(duckdb_path=tmp_path / "warehouse.duckdb")
    tiny_warehouse(settings.duckdb_path, version=1)
    refresh(settings, as_of=TINY_AS_OF)
    return settings


def test_serving_file_holds_the_marts_only_with_their_descriptions(tiny: Settings) -> None:
    served = tiny.serving_file()
    assert served == tiny.duckdb_path.parent / "marts.duckdb"
    con = duckdb.connect(str(served), read_only=True)
    try:
        tables = con.execute(
            "select schema_name, table_name, comment from duckdb_tables() order by 2"
        ).fetchall()
        column = con.execute(
            "select comment from duckdb_columns() "
            "where table_name = 'a' and column_name = 'version'"
        ).fetchone()
    finally:
        con.close()
    assert tables == [("main", "a", "Table a."), ("main", "b", None)]
    assert column == ("The build.",)
    manifest = json.loads((tiny.parquet_dir() / MANIFEST).read_text())
    assert manifest["as_of"] == "2026-01-01T08:00:00Z"  # the run's, not the clock's
    assert [(t["table"], t["rows"]) for t in manifest["tables"]] == [("a", ROWS), ("b", ROWS)]
    assert [c["name"] for c in manifest["tables"][0]["columns"]] == ["id", "version"]
    assert sorted(p.name for p in tiny.parquet_dir().iterdir()) == [
        "a.parquet",
        "b.parquet",
        MANIFEST,
    ]
    # nothing left behind by the refresh
    assert sorted(p.name for p in served.parent.iterdir()) == [
        "marts.duckdb",
        "marts_parquet",
        "warehouse.duckdb",
    ]


@pytest.mark.reliability
def test_a_reader_holding_the_file_neither_blocks_nor_sees_a_mix(tiny: Settings) -> None:
    served = str(tiny.serving_file())
    holder = subprocess.Popen(
        [sys.executable, "-c", READER, served],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    poller = subprocess.Popen(
        [sys.executable, "-c", POLLER, served, "4"], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdin is not None
        assert holder.stdout.readline().split() == ["1", "1", str(ROWS)]
        time.sleep(1)  # the poller is reading
        tiny_warehouse(tiny.duckdb_path, version=2)
        started = time.monotonic()
        refresh(tiny)  # the file is held open by two other processes
        took = time.monotonic() - started
        # the holder still reads the file it opened, whole
        holder.stdin.write("\n")
        holder.stdin.flush()
        assert holder.stdout.readline().split() == ["1", "1", str(ROWS)]
        polled = json.loads(poller.communicate(timeout=60)[0])
    finally:
        holder.kill()
        poller.kill()
    assert took < 30
    # every read saw one build whole: old or new, never a mix, never an error
    assert polled["errors"] == []
    assert polled["seen"] in ([[1, 1, 2 * ROWS], [2, 2, 2 * ROWS]], [[1, 1, 2 * ROWS]])
    con = duckdb.connect(served, read_only=True)
    try:
        assert con.execute("select min(version), max(version) from a").fetchone() == (2, 2)
    finally:
        con.close()


def test_a_warehouse_without_marts_keeps_the_served_file(tiny: Settings) -> None:
    before = tiny.serving_file().read_bytes()
    con = duckdb.connect(str(tiny.duckdb_path))
    con.execute("drop schema marts cascade")
    con.close()
    with pytest.raises(RuntimeError, match="no marts to serve"):
        refresh(tiny)
    assert tiny.serving_file().read_bytes() == before
    assert sorted(p.name for p in tiny.serving_file().parent.iterdir()) == [
        "marts.duckdb",
        "marts_parquet",
        "warehouse.duckdb",
    ]


@pytest.fixture(scope="session")
def duckdb1_python() -> Path:
    """The python of a virtual environment with DuckDB 1.x (created once, kept in .cache/)."""
    venv = PROJECT_DIR / ".cache" / f"duckdb-{DUCKDB1_VERSION}"
    python = venv / "bin" / "python"
    if not python.exists():
        tmp = venv.with_name(f"{venv.name}.tmp-{os.getpid()}")
        subprocess.run([sys.executable, "-m", "venv", str(tmp)], check=True)
        pip = subprocess.run(
            [
                str(tmp / "bin" / "python"),
                "-m",
                "pip",
                "install",
                "-q",
                "--disable-pip-version-check",
                f"duckdb=={DUCKDB1_VERSION}",
            ],
            capture_output=True,
            text=True,
        )
        if pip.returncode != 0:
            pytest.fail(f"pip install duckdb=={DUCKDB1_VERSION} failed:\n{pip.stderr[-2000:]}")
        os.replace(tmp, venv)
    return python


CLIENT = textwrap.dedent(
    """
    import json, sys, duckdb
    path, needles_file = sys.argv[1], sys.argv[2]
    con = duckdb.connect(path, read_only=True)
    con.execute("set enable_progress_bar = false")  # stdout is the JSON answer
    con.execute("create temp table needles as select * from read_json_auto(?)", [needles_file])
    out = {"version": duckdb.__version__, "rows": {}, "hits": [], "text_columns": 0}
    tables = con.execute(
        "select schema_name, table_name from duckdb_tables() where not temporary "
        "order by table_name"
    ).fetchall()
    for schema, table in tables:
        out["rows"][f"{schema}.{table}"] = con.execute(
            f'select count(*) from "{schema}"."{table}"'
        ).fetchone()[0]
        columns = con.execute(
            "select column_name from duckdb_columns() where table_name = ? "
            "and data_type = 'VARCHAR'", [table]
        ).fetchall()
        for (column,) in columns:
            out["text_columns"] += 1
            # every needle holds a space (a full name) or an @ (an email): only such values
            # can contain one
            hits = con.execute(
                f'with v as (select distinct lower("{column}") as v from "{schema}"."{table}") '
                "select count(*), min(v.v) from v join needles n on contains(v.v, n.needle) "
                "where v.v like '% %' or v.v like '%@%'"
            ).fetchone()
            if hits[0]:
                out["hits"].append([table, column, hits[0], hits[1]])
    print(json.dumps(out))
    """
)


def raw_needles(warehouse: Path) -> list[str]:
    """Every email address of the raw tables and every customer person's full name (leads,
    contacts), lower-cased. The company's own users (record owners) are named in dim_owner on
    purpose: their names are left out, their emails are not."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        email_columns = con.execute(
            "select table_schema, table_name, column_name from information_schema.columns "
            "where table_schema like 'raw\\_%' escape '\\' and column_name ilike '%email' "
            "and data_type = 'VARCHAR'"
        ).fetchall()
        emails = {
            row[0]
            for s, t, c in email_columns
            for row in con.execute(
                f'select distinct lower(trim("{c}")) from {s}."{t}" where "{c}" like \'%@%\''
            ).fetchall()
        }
        names = {
            row[0]
            for sql in (
                "select lower(first_name || ' ' || last_name) from raw_salesforce.lead",
                "select lower(first_name || ' ' || last_name) from raw_salesforce.contact",
                "select lower(property_firstname || ' ' || property_lastname) "
                "from raw_hubspot.contact",
            )
            for row in con.execute(sql).fetchall()
            if row[0]
        }
        users = {
            r[0] for r in con.execute('select lower(name) from raw_salesforce."user"').fetchall()
        }
    finally:
        con.close()
    return sorted(emails | (names - users))


def test_a_duckdb_1_client_reads_every_public_mart_and_no_pii(
    demo_build: DemoBuild, duckdb1_python: Path, tmp_path: Path
) -> None:
    from orchestration.assets.dbt import dbt_marts

    assert demo_build.success, demo_build.failures
    served = demo_build.settings.serving_file()
    needles = raw_needles(demo_build.settings.duckdb_path)
    assert len(needles) > 100 and any("@" in n for n in needles) and any(" " in n for n in needles)
    assert all("@" in n or " " in n for n in needles)  # the client's prefilter relies on it
    needles_file = tmp_path / "needles.json"
    needles_file.write_text(json.dumps([{"needle": n} for n in needles]))

    def client(path: Path) -> dict:
        result = subprocess.run(
            [str(duckdb1_python), "-c", CLIENT, str(path), str(needles_file)],
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, result.stderr[-3000:]
        return json.loads(result.stdout)

    # the scan finds a planted name and email (written as the serving file is written)
    control = tmp_path / "control.duckdb"
    con = duckdb.connect()
    con.execute(f"attach '{control}' as c (storage_version 'v1.0.0')")
    planted = next(n for n in needles if " " in n), next(n for n in needles if "@" in n)
    con.execute("create table c.main.notes (note varchar)")
    con.execute(
        "insert into c.main.notes values (?), (?)", [f"Call {planted[0].title()}", planted[1]]
    )
    con.execute("detach c")
    con.close()
    hits = client(control)["hits"]
    assert [(table, column) for table, column, _, _ in hits] == [("notes", "note")]
    assert hits[0][2] >= 2  # both planted values (a value may hold more than one needle)

    out = client(served)
    assert out["version"] == DUCKDB1_VERSION
    marts = dbt_marts()
    assert marts and "dim_owner" in marts
    assert sorted(out["rows"]) == sorted(f"main.{m}" for m in marts)
    con = duckdb.connect(str(demo_build.settings.duckdb_path), read_only=True)
    try:
        for mart in marts:
            expected = con.execute(f"select count(*) from marts.{mart}").fetchone()[0]
            assert out["rows"][f"main.{mart}"] == expected, mart
    finally:
        con.close()
    assert out["text_columns"] > 50
    assert out["hits"] == []
