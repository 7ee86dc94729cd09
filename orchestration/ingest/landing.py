"""Which landing files feed which contract tables, and what every other entry is.

Every entry of a system folder is accounted for: a contract table's file, or an unknown entry
reported with a suggestion when its name is close to a table's (another case, a plural, a
compressed file). A folder where a table's file should be, and a symlink that leaves the
landing folder, are errors naming them.

A run started by the landing sensor carries the files the sensor saw settled (tag
``revops/landing_files``: name, mtime and size of each); such a run loads exactly those files,
unchanged. A file the sensor did not see settled, or one changed since, is left for the run the
sensor starts once it settles, and the run says so (``deferred_files``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from orchestration.ingest.contract import Contract, Table
from orchestration.ingest.reader import SUFFIXES
from orchestration.ingest.results import IngestError

COMPRESSED = (".gz", ".zip", ".bz2", ".xz", ".zst")
LANDING_FILES_TAG = "revops/landing_files"

#: {"<system>/<file name>": [mtime_ns, size]}: what the sensor saw of each settled data file.
FileState = dict[str, list[int]]


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


def file_key(path: Path) -> str:
    """The name of a landing file in a file state: ``<system>/<file name>``."""
    return f"{path.parent.name}/{path.name}"


def file_stat(path: Path) -> list[int]:
    """[mtime_ns, size] of a file: what settling is judged by."""
    stat = path.stat()
    return [stat.st_mtime_ns, stat.st_size]


def encode_file_state(state: Mapping[str, Sequence[int]]) -> str:
    """A file state as compact, sorted JSON (a sensor cursor, a run tag)."""
    return json.dumps({k: list(v) for k, v in state.items()}, sort_keys=True, separators=(",", ":"))


def parse_file_state(text: str | None) -> FileState | None:
    """The file state in ``text``; None when there is none or it cannot be read."""
    if not text:
        return None
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        return None
    if not isinstance(data, dict):
        return None
    state: FileState = {}
    for name, stat in data.items():
        if isinstance(stat, list) and len(stat) == 2 and all(isinstance(x, int) for x in stat):
            state[str(name)] = [int(x) for x in stat]
    return state


@dataclass(frozen=True)
class Deferred:
    """A landing file a run leaves for a later run, and why."""

    table: Table
    path: Path
    reason: str

    def describe(self) -> str:
        return f"{self.table.qualified_name}: {self.path} skipped for now: {self.reason}"


def requested_files(
    found: Sequence[tuple[Table, Path]], requested: Mapping[str, Sequence[int]]
) -> tuple[list[tuple[Table, Path]], list[Deferred]]:
    """Split ``found`` into the files a sensor's run request named, unchanged, and the rest.

    A file the request does not name was not settled when the sensor looked (still being
    written); a file whose mtime or size differs from the request changed since. Both are left
    for the run the sensor starts once they settle: loading them now could read half a file.
    """
    load: list[tuple[Table, Path]] = []
    deferred: list[Deferred] = []
    for table, path in found:
        seen = requested.get(file_key(path))
        if seen is None:
            reason = (
                "it was still being written when the landing sensor requested this run "
                "(modified within REVOPS_SENSOR_SETTLE_SECONDS); the sensor starts a run "
                "for it once it settles"
            )
            deferred.append(Deferred(table, path, reason))
            continue
        try:
            now = file_stat(path)
        except OSError as exc:
            deferred.append(Deferred(table, path, f"it cannot be read now ({exc.strerror})"))
            continue
        if now != list(seen):
            reason = (
                f"it changed after the landing sensor requested this run (size {seen[1]} -> "
                f"{now[1]} bytes); the sensor starts a run for it once it settles"
            )
            deferred.append(Deferred(table, path, reason))
            continue
        load.append((table, path))
    return load, deferred
