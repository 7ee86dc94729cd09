"""The one Dagster concurrency pool of the project.

DuckDB allows one writer process at a time, and a reader in one process conflicts with a
writer in another, so every step that opens the warehouse (loading, both dbt steps, the
checks, the report and the serving file) joins this pool. The Dagster instance gives it a
limit of 1 (``concurrency: pools: default_limit: 1`` in dagster.yaml, or
``dagster instance concurrency set duckdb_writer 1``).
"""

WRITER_POOL = "duckdb_writer"
