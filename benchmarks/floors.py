"""The engine's own floors: what DuckDB alone needs for the work the tools do.

- ingestion floor: DuckDB reads the same landing files into ``raw_<system>.<table>`` tables,
  one ``create table ... as select * from read_csv(...)`` per file (contract column types when
  the raw contract can be read), in one process and one connection;
- transformation floor: the compiled SQL of every seed, snapshot and model from a dbt manifest
  (after ``dbt compile``), run in dependency order on one connection as
  ``create or replace table|view <relation> as <compiled sql>`` (incremental models as full
  tables, ephemeral models are already inlined by dbt, hooks and tests skipped), with as many
  statements at once as dbt has threads (``--workers``; each on a cursor of the connection),
  so the floor gets the same inter-model parallelism dbt gets.

Run as ``python -m benchmarks.floors ingest|engine ...`` so the harness measures each floor as a
process, like the tool it is compared with. The last stdout line is a JSON summary.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from pathlib import Path
from typing import Any

import duckdb

from benchmarks.manifest import executable_nodes

CONTRACT_TYPES = {
    "text": "VARCHAR",
    "bigint": "BIGINT",
    "double": "DOUBLE",
    "boolean": "BOOLEAN",
    "date": "DATE",
    "timestamp": "TIMESTAMPTZ",  # offsets honoured; the loader stores naive UTC
}


def _q(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def contract_types(project_dir: Path) -> dict[tuple[str, str], dict[str, str]]:
    """(system, table) -> {column: DuckDB type} from the raw contract; {} when unavailable."""
    try:
        from orchestration.ingest.contract import load_contract

        contract = load_contract(project_dir)
    except Exception as exc:  # the contract is optional for the floor
        print(f"note: raw contract not used ({type(exc).__name__}: {exc})", flush=True)
        return {}
    return {
        (t.system, t.name): {c.name: CONTRACT_TYPES.get(c.data_type, "VARCHAR") for c in t.columns}
        for t in contract.tables
    }


def _struct(types: dict[str, str]) -> str:
    return "{" + ", ".join(f"{_lit(k)}: {_lit(v)}" for k, v in types.items()) + "}"


def landing_files(landing: Path) -> list[tuple[str, str, Path]]:
    """(system, table, file) of every CSV or JSONL file in the landing folder."""
    found = []
    for path in sorted(landing.glob("*/*")):
        if path.suffix in (".csv", ".jsonl") and path.is_file():
            found.append((path.parent.name, path.stem, path))
    return found


def _load_file(
    con: duckdb.DuckDBPyConnection, schema: str, table: str, path: Path, wanted: dict[str, str]
) -> bool:
    """One ``create table ... as select * from read_csv|read_json``; True when typed.

    With contract types first; a file whose values do not all cast (the loader quarantines such
    rows) is read again with DuckDB's own type detection.
    """
    target = f"{_q(schema)}.{_q(table)}"
    if path.suffix != ".csv":
        reader = f"read_json_auto({_lit(str(path))}, format = 'newline_delimited')"
        con.execute(f"create or replace table {target} as select * from {reader}")
        return False
    header = con.execute(
        f"select * from read_csv({_lit(str(path))}, header = true) limit 0"
    ).description
    present = {d[0] for d in header or ()}
    known = {k: v for k, v in wanted.items() if k in present}
    plain = f"read_csv({_lit(str(path))}, header = true)"
    if known:
        typed = f"read_csv({_lit(str(path))}, header = true, types = {_struct(known)})"
        try:
            con.execute(f"create or replace table {target} as select * from {typed}")
            return True
        except duckdb.Error as exc:
            print(f"note: {schema}.{table}: contract types do not cast ({exc}); auto types")
    con.execute(f"create or replace table {target} as select * from {plain}")
    return False


def ingest_floor(landing: Path, db_path: Path, project_dir: Path) -> dict[str, Any]:
    """Load every landing file into ``db_path`` with plain DuckDB; return counts and time."""
    files = landing_files(landing)
    if not files:
        raise SystemExit(f"ingest floor: no <system>/<table>.csv|jsonl file under {landing}")
    types = contract_types(project_dir)
    started = time.perf_counter()
    rows = typed = 0
    with duckdb.connect(str(db_path)) as con:
        con.execute("set TimeZone = 'UTC'")
        for system, table, path in files:
            schema = f"raw_{system}"
            con.execute(f"create schema if not exists {_q(schema)}")
            typed += _load_file(con, schema, table, path, types.get((system, table), {}))
            count = con.execute(f"select count(*) from {_q(schema)}.{_q(table)}").fetchone()
            rows += int(count[0]) if count else 0
        con.execute("checkpoint")
    return {
        "files": len(files),
        "typed_files": typed,
        "rows": rows,
        "seconds": time.perf_counter() - started,
    }


def _seed_sql(node: dict[str, Any], project_dir: Path) -> str:
    path = project_dir / node["original_file_path"]
    column_types = (node.get("config") or {}).get("column_types") or {}
    types = f", types = {_struct(column_types)}" if column_types else ""
    return f"select * from read_csv({_lit(str(path))}, header = true{types})"


def _node_statement(node: dict[str, Any], project_dir: Path) -> str:
    """``create or replace table|view <relation> as <sql>`` for one seed/snapshot/model."""
    if node["resource_type"] == "seed":
        return f"create or replace table {node['relation_name']} as {_seed_sql(node, project_dir)}"
    sql = node.get("compiled_code") or ""
    if not sql.strip():
        raise SystemExit(f"engine floor: {node['unique_id']} has no compiled_code")
    materialized = (node.get("config") or {}).get("materialized", "table")
    kind = "view" if materialized == "view" else "table"
    return f"create or replace {kind} {node['relation_name']} as {sql}"


def engine_floor(
    manifest_path: Path, db_path: Path, project_dir: Path, workers: int = 1
) -> dict[str, Any]:
    """Run every compiled seed/snapshot/model of the manifest on one DuckDB database.

    ``workers`` statements run at once (each on its own cursor of the one connection), a node
    starting as soon as everything it depends on is built: the most a tool running ``workers``
    dbt threads could get out of the engine. ``workers=1`` is one statement after another.
    """
    manifest = json.loads(manifest_path.read_text())
    nodes = executable_nodes(manifest)
    if not nodes:
        raise SystemExit(f"engine floor: no compiled model in {manifest_path}")
    by_id = {n["unique_id"]: n for n in nodes}
    deps = {
        uid: {d for d in (n.get("depends_on") or {}).get("nodes", []) if d in by_id}
        for uid, n in by_id.items()
    }
    statements = {uid: _node_statement(n, project_dir) for uid, n in by_id.items()}
    timings: dict[str, float] = {}
    started = time.perf_counter()
    with duckdb.connect(str(db_path)) as con:
        for database, schema in dict.fromkeys((n["database"], n["schema"]) for n in nodes):
            con.execute(f"create schema if not exists {_q(database)}.{_q(schema)}")

        def build(uid: str) -> float:
            cur = con.cursor()
            try:
                cur.execute("set TimeZone = 'UTC'")
                t0 = time.perf_counter()
                cur.execute(statements[uid])
                return time.perf_counter() - t0
            except duckdb.Error as exc:
                raise SystemExit(f"engine floor: {uid} failed: {exc}") from exc
            finally:
                cur.close()

        order = [n["unique_id"] for n in nodes]  # topological: a stable submission order
        with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
            running: dict[Future[float], str] = {}
            while len(timings) < len(order):
                for uid in order:
                    if (
                        uid not in timings
                        and uid not in running.values()
                        and len(running) < max(1, workers)
                        and deps[uid] <= timings.keys()
                    ):
                        running[pool.submit(build, uid)] = uid
                finished, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in finished:
                    timings[running.pop(future)] = future.result()
        con.execute("checkpoint")
    slowest = sorted(timings.items(), key=lambda kv: kv[1], reverse=True)[:10]
    return {
        "nodes": len(nodes),
        "workers": max(1, workers),
        "seconds": time.perf_counter() - started,
        "slowest": [{"node": k, "seconds": round(v, 3)} for k, v in slowest],
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.floors")
    sub = parser.add_subparsers(dest="floor", required=True)
    ing = sub.add_parser("ingest", help="DuckDB reads the landing files into tables")
    ing.add_argument("--landing", type=Path, required=True)
    ing.add_argument("--db", type=Path, required=True)
    ing.add_argument("--project-dir", type=Path, required=True)
    eng = sub.add_parser("engine", help="compiled dbt SQL run directly in DuckDB")
    eng.add_argument("--manifest", type=Path, required=True)
    eng.add_argument("--db", type=Path, required=True)
    eng.add_argument("--project-dir", type=Path, required=True)
    eng.add_argument("--workers", type=int, default=1, help="statements at once (dbt threads)")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(args.project_dir))
    if args.floor == "ingest":
        summary = ingest_floor(args.landing, args.db, args.project_dir)
    else:
        summary = engine_floor(args.manifest, args.db, args.project_dir, args.workers)
    print(json.dumps(summary), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
