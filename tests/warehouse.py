"""Read-only queries on a built DuckDB warehouse, shared by the test fixtures' warehouse types."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb


class ReadOnlyQueries:
    """``query`` and ``scalar`` on the DuckDB file ``duckdb_file()`` names, opened read-only for
    each query (a test never holds the file another step may need)."""

    def duckdb_file(self) -> Path:
        """The warehouse file: the ``db_path`` attribute, unless a subclass says otherwise."""
        return self.db_path

    def query(self, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
        con = duckdb.connect(str(self.duckdb_file()), read_only=True)
        try:
            return con.execute(sql, params or []).fetchall()
        finally:
            con.close()

    def scalar(self, sql: str, params: list[Any] | None = None) -> Any:
        return self.query(sql, params)[0][0]
