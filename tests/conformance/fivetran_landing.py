"""Lay Fivetran's public integration-test seeds out as a revops landing folder.

    python -m tests.conformance.fivetran_landing SALESFORCE_REPO HUBSPOT_REPO OUT_DIR

SALESFORCE_REPO / HUBSPOT_REPO are clones of fivetran/dbt_salesforce and fivetran/dbt_hubspot;
their ``integration_tests/seeds/<prefix><table>_data.csv`` files become
``OUT_DIR/<system>/<table>.csv`` for every table of the raw contract (warehouse-specific
variants such as ``*_data_postgres.csv`` are left out, and so are seeds that only share a
contract table's name: NOT_THE_CONTRACT_TABLE). The seeds are not part of this
repository: fetch them, never commit them.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from orchestration.ingest.contract import load_contract
from orchestration.settings import PROJECT_DIR

#: repository argument -> (system, file name prefix of its seeds)
SEED_PREFIXES = {"salesforce": "sf_", "hubspot": ""}
#: Seeds named like a contract table that hold another table: dbt_salesforce's
#: sf_opportunity_history_data is its history-mode copy of the opportunity table
#: (source salesforce_history.opportunity: one row per version, id = the opportunity id), not
#: Salesforce's OpportunityHistory object that the contract's opportunity_history is.
NOT_THE_CONTRACT_TABLE = {"salesforce": ("opportunity_history",)}


def seed_files(repo: Path, system: str) -> dict[str, Path]:
    """contract table -> its seed file in the repository (tables without a seed are left out)."""
    seeds = repo / "integration_tests" / "seeds"
    if not seeds.is_dir():
        raise FileNotFoundError(f"{seeds} does not exist: is {repo} a clone of the package?")
    prefix = SEED_PREFIXES[system]
    out = {}
    for table in load_contract(PROJECT_DIR).tables_of(system):
        if table.name in NOT_THE_CONTRACT_TABLE.get(system, ()):
            continue
        path = seeds / f"{prefix}{table.name}_data.csv"
        if path.is_file():
            out[table.name] = path
    return out


def lay_out(salesforce_repo: Path, hubspot_repo: Path, out_dir: Path) -> list[Path]:
    """Copy the seeds into ``out_dir``; the files written."""
    written = []
    for system, repo in (("salesforce", salesforce_repo), ("hubspot", hubspot_repo)):
        target = out_dir / system
        target.mkdir(parents=True, exist_ok=True)
        for table, path in sorted(seed_files(repo, system).items()):
            dest = target / f"{table}.csv"
            shutil.copyfile(path, dest)
            written.append(dest)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tests.conformance.fivetran_landing",
        description="Lay out Fivetran's dbt_salesforce and dbt_hubspot integration-test seeds "
        "as a revops landing folder.",
    )
    parser.add_argument("salesforce_repo", type=Path, help="clone of fivetran/dbt_salesforce")
    parser.add_argument("hubspot_repo", type=Path, help="clone of fivetran/dbt_hubspot")
    parser.add_argument("out_dir", type=Path, help="landing folder to write")
    args = parser.parse_args(argv)
    try:
        written = lay_out(args.salesforce_repo, args.hubspot_repo, args.out_dir)
    except FileNotFoundError as exc:
        parser.error(str(exc))
    for path in written:
        print(path)
    print(f"{len(written)} files in {args.out_dir}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
