"""Money as the run summary and the report state it: the reporting currency (the dbt var
reporting_currency of the project), and which currencies the marts' amounts came in.

A stranger's export in EUR, GBP or BRL converts without a word otherwise; these lines say in
which currencies its amounts were, and how many have no exchange rate (null in the marts,
never 0; rule reconciliation or money_conversion lists them).
"""

from __future__ import annotations

from pathlib import Path

import yaml

from orchestration.settings import Settings
from orchestration.warehouse import connect

#: (label, mart, amount column): amounts converted into the reporting currency.
CONVERTED = (
    ("opportunity amounts", "fct_opportunities", "amount"),
    ("ad spend", "fct_ad_spend", "spend"),
)


def project_reporting_currency(project_dir: Path) -> str:
    """The dbt var reporting_currency of the project (dbt_project.yml; default USD), the
    currency every amount of the marts is in."""
    try:
        config = yaml.safe_load((project_dir / "dbt_project.yml").read_text()) or {}
    except (OSError, yaml.YAMLError):
        return "USD"
    code = str((config.get("vars") or {}).get("reporting_currency") or "USD")
    return code.strip().upper() or "USD"


def currencies_in_marts(settings: Settings) -> dict[str, tuple[list[str], int]]:
    """label -> (the currencies of its amounts, sorted; how many amounts have no rate), for
    each converted mart that exists and holds an amount."""
    out: dict[str, tuple[list[str], int]] = {}
    with connect(settings) as con:
        cur = con.cursor()
        cur.execute("select table_name from information_schema.tables where table_schema = 'marts'")
        present = {str(r[0]) for r in cur.fetchall()}
        for label, table, amount in CONVERTED:
            if table not in present:
                continue
            cur.execute(
                f"select currency_code, sum(case when fx_rate_source = 'none' then 1 else 0 end)"
                f" from marts.{table} where {amount} is not null group by currency_code"
            )
            rows = cur.fetchall()
            if rows:
                codes = sorted(str(code) for code, _ in rows)
                out[label] = (codes, sum(int(n) for _, n in rows))
    return out


def money_lines(settings: Settings) -> list[str]:
    """The summary's money lines: the reporting currency, then per converted mart the
    currencies met and the amounts without exchange rate."""
    reporting = project_reporting_currency(settings.project_dir)
    found = currencies_in_marts(settings)
    if not found:
        return []
    lines = [f"money: every amount in the marts is in {reporting} (dbt var reporting_currency)"]
    for label, (codes, unconverted) in found.items():
        line = f"  {label} came in {', '.join(codes)}"
        if unconverted:
            line += f"; {unconverted:,} without exchange rate (null in the marts, never 0)"
        lines.append(line)
    return lines
