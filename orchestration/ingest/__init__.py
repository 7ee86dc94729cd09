"""Ingestion: landing files (CSV/JSONL) into the raw schemas with dlt.

Public API::

    load_table(settings, system, table, path, progress=None) -> LoadResult
    load_landing(settings, landing_dir=None, systems=None, progress=None) -> list[LoadResult]

The raw contract (columns, types, required columns, primary keys) is read from the dbt source
YAML files (``contract.py``). Modules: ``reader`` (files to text columns, line accounting),
``casting`` (contract types, rejects), ``dlt_load`` (dlt upserts), ``quarantine``
(``raw_quarantine.rejected_rows``) and ``runner`` (the flow and error handling).
"""

from orchestration.ingest.contract import Contract, ContractError, Table, load_contract
from orchestration.ingest.landing import describe_unknown, find_files
from orchestration.ingest.results import IngestError, LoadError, LoadResult
from orchestration.ingest.runner import load_files, load_landing, load_table

__all__ = [
    "Contract",
    "ContractError",
    "IngestError",
    "LoadError",
    "LoadResult",
    "Table",
    "describe_unknown",
    "find_files",
    "load_contract",
    "load_files",
    "load_landing",
    "load_table",
]
