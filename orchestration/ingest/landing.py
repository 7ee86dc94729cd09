"""Which landing files feed which contract tables, and what every other entry is.

Every entry of a system folder is accounted for: a contract table's file, or an unknown entry
reported with a suggestion when its name is close to a table's (another case, a plural, a
compressed file). A folder where a table's file should be, and a symlink that leaves the
landing folder, are errors naming them.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from orchestration.ingest.contract import Contract, Table
from orchestration.ingest.reader import SUFFIXES
from orchestration.ingest.results import IngestError

COMPRESSED = (".gz", ".zip", ".bz2", ".xz", ".zst")


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve(strict=True).relative_to(folder.resolve())
    except (OSError, RuntimeError, ValueError):  # a loop, a dangling link, or outside
        return False
    return True


def _check_entry(path: Path, landing_dir: Path, table: Table) -> None:
    if path.is_symlink() and not _inside(path, landing_dir):
        raise IngestError(
            f"{path} is a symlink that leaves the landing folder {landing_dir} (or loops): "
            "copy the file into the folder instead",
            system=table.system,
            table=table.name,
            file=str(path),
        )
    if path.is_dir():
        raise IngestError(
            f"{path} is a folder, where the file of {table.qualified_name} should be",
            system=table.system,
            table=table.name,
            file=str(path),
        )


def suggestion(path: Path, contract: Contract) -> str:
    """What an unknown landing entry probably is ('' when nothing is close)."""
    name = path.name.lower()
    compressed = next((s for s in COMPRESSED if name.endswith(s)), "")
    name = name.removesuffix(compressed)
    stem, suffix = Path(name).stem, Path(name).suffix.lstrip(".")
    system = path.parent.name
    tables = {t.name: t for t in contract.tables_of(system)} if system in contract.systems else {}
    candidates = [stem, stem.removesuffix("s"), stem.removesuffix("es")]  # a plural
    if stem.endswith("ies"):
        candidates.append(stem[:-3] + "y")
    match = next((tables[c] for c in candidates if c in tables), None)
    if match is None:
        return ""
    wanted = f".{suffix}" if f".{suffix}" in SUFFIXES else ".csv"
    hint = f"did you mean {system}/{match.name}{wanted}?"
    if compressed:
        hint += f" ({compressed} files are not read: decompress it)"
    return hint


def describe_unknown(path: Path, contract: Contract) -> str:
    """The warning for an entry that feeds no table."""
    what = "folder" if path.is_dir() else "file"
    hint = suggestion(path, contract)
    return f"ignored {what} {path}: not a table of the raw contract" + (f"; {hint}" if hint else "")


def find_files(
    landing_dir: Path, contract: Contract, systems: Sequence[str] | None = None
) -> tuple[list[tuple[Table, Path]], list[Table], list[Path]]:
    """The landing file of each contract table: (found, tables without a file, unknown entries).

    Unknown entries are every other file or folder in the chosen system folders, whatever
    their suffix. Raises IngestError when a table has both a ``.csv`` and a ``.jsonl`` file,
    when a folder stands where a table's file should be, and for a symlink leaving the folder.
    """
    found: list[tuple[Table, Path]] = []
    absent: list[Table] = []
    chosen = systems or contract.systems
    for system in chosen:
        for table in contract.tables_of(system):
            entries = [landing_dir / system / f"{table.name}{suffix}" for suffix in SUFFIXES]
            entries = [p for p in entries if p.exists() or p.is_symlink()]
            for path in entries:
                _check_entry(path, landing_dir, table)
            if len(entries) > 1:
                raise IngestError(
                    f"{landing_dir / system}: both {entries[0].name} and "
                    f"{entries[1].name} exist for {table.qualified_name}: keep one",
                    system=system,
                    table=table.name,
                    file=str(entries[0]),
                )
            if entries:
                found.append((table, entries[0]))
            else:
                absent.append(table)
    known = {path for _, path in found}
    unknown = sorted(
        p
        for system in chosen
        if (landing_dir / system).is_dir()
        for p in (landing_dir / system).iterdir()
        if p not in known and not p.name.startswith(".")
    )
    return found, absent, unknown
