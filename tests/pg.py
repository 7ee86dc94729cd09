"""The local PostgreSQL server of the tests: connection settings, admin statements, and a
fresh database per fixture (skipped when there is no server), dropped afterwards.

One home for what the PostgreSQL tests of every folder share.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

HOST = os.environ.get("REVOPS_PG_HOST", "127.0.0.1")
PORT = os.environ.get("REVOPS_PG_PORT", "5432")
USER = os.environ.get("REVOPS_PG_USER", "postgres")
PASSWORD = os.environ.get("REVOPS_PG_PASSWORD", "")


def dsn(database: str) -> str:
    """A libpq connection string; values quoted (an empty password must not eat dbname)."""
    parts = {"host": HOST, "port": PORT, "user": USER, "password": PASSWORD, "dbname": database}
    return " ".join(f"{key}='{value}'" for key, value in parts.items() if value)


def admin(sql: str) -> None:
    """Run one statement on the server's `postgres` database, outside a transaction."""
    import psycopg2

    con = psycopg2.connect(dsn("postgres"), connect_timeout=10)
    con.autocommit = True
    try:
        with con.cursor() as cur:
            cur.execute(sql)
    finally:
        con.close()


def fetch(conninfo: str, sql: str) -> list[tuple[Any, ...]]:
    """The rows of one query over the libpq connection string ``conninfo``."""
    import psycopg2

    con = psycopg2.connect(conninfo, connect_timeout=10)
    try:
        with con.cursor() as cur:
            cur.execute(sql)
            return [tuple(row) for row in cur.fetchall()]
    finally:
        con.close()


def pg_query(database: str, sql: str) -> list[tuple[Any, ...]]:
    """The rows of one query on ``database`` of the local server."""
    return fetch(dsn(database), sql)


@contextmanager
def fresh_database(prefix: str) -> Iterator[str]:
    """A uniquely named database, dropped (connections closed) on exit; the test is skipped
    when no server answers."""
    pytest.importorskip("psycopg2")
    try:
        admin("select 1")
    except Exception as exc:  # any connection failure means no server
        pytest.skip(f"no PostgreSQL server at {HOST}:{PORT}: {exc}")
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin(f'create database "{name}"')
    try:
        yield name
    finally:
        admin(f'drop database if exists "{name}" with (force)')
