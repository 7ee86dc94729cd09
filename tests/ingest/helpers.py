"""Helpers for the ingestion tests: tiny landing files and warehouse queries."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb

from orchestration.settings import Settings

ACCOUNT_HEADER = (
    "id,name,website,industry,number_of_employees,billing_country,type,owner_id,"
    "created_date,is_deleted,_fivetran_synced"
)
USER_HEADER = "id,name,email,user_role,manager_id,is_active,_fivetran_synced"
AD_STATS_HEADER = (
    "date_day,platform,account_id,campaign_id,campaign_name,ad_group_id,ad_id,clicks,"
    "impressions,spend,conversions,_fivetran_synced"
)


def account_row(
    id_: str,
    employees: str = "10",
    created: str = "2024-01-01T10:00:00Z",
    synced: str = "2024-02-01T00:00:00Z",
    name: str = "Acme",
    deleted: str = "false",
) -> str:
    return f"{id_},{name},acme.com,Tech,{employees},US,Customer,U1,{created},{deleted},{synced}"


def write(landing: Path, system: str, name: str, content: str | bytes) -> Path:
    """Write ``<landing>/<system>/<name>`` (text is written as UTF-8, bytes as they are)."""
    path = landing / system / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        path.write_bytes(content.encode("utf-8"))
    else:
        path.write_bytes(content)
    return path


def lines(*rows: str) -> str:
    return "\n".join(rows) + "\n"


def write_accounts(landing: Path, *rows: str, header: str = ACCOUNT_HEADER) -> Path:
    """Write ``<landing>/salesforce/account.csv``: ``header`` and ``rows``."""
    return write(landing, "salesforce", "account.csv", lines(header, *rows))


def query(settings: Settings, sql: str) -> list[tuple[Any, ...]]:
    con = duckdb.connect(str(settings.duckdb_path), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def rejected(settings: Settings, table: str) -> list[tuple[Any, ...]]:
    """(line_number, column_name, reason, raw_text) of a table's quarantined rows."""
    return query(
        settings,
        "select line_number, column_name, reason, raw_text from raw_quarantine.rejected_rows "
        f"where table_name = '{table}' order by line_number",
    )
