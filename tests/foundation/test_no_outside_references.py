"""The repository documents itself: no tracked file cites a document a user of the repository
does not have (the agents' shared notes: `shared/`, `domain.md`, `style.md`, `pitfalls.md`), nor
the simulator's old `RULES.md` as a specification. The warehouse's definitions live in docs/
(dbt doc blocks); the simulator's own manual is simulator/README.md.

Reads `git ls-files` and the files' text: about a second, no build.
"""

from __future__ import annotations

import re
import subprocess

import pytest

from tests.conftest import PROJECT_DIR

#: a path that starts at a `shared/` folder (`../shared/x`, `shared/x`), not `marts/shared/`
_SHARED = r"(?<![\w/.-])(?:\.\./)*shared/"
#: the outside notes by name, and the simulator file the definitions moved out of
_NOTES = r"(?<![\w-])(?:domain|style|pitfalls|RULES)\.md\b"
FORBIDDEN = re.compile(f"{_SHARED}|{_NOTES}")


def outside_references(files: dict[str, str]) -> list[str]:
    """'path:line: text' of every citation of an outside document."""
    hits = []
    for path, text in sorted(files.items()):
        for number, line in enumerate(text.splitlines(), start=1):
            if FORBIDDEN.search(line):
                hits.append(f"{path}:{number}: {line.strip()}")
    return hits


def tracked_text_files() -> dict[str, str]:
    try:
        listed = subprocess.run(
            ["git", "ls-files", "-z"], cwd=PROJECT_DIR, capture_output=True, check=True
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout")
    files = {}
    for name in filter(None, listed.decode().split("\0")):
        path = PROJECT_DIR / name
        if name == "tests/foundation/test_no_outside_references.py" or not path.is_file():
            continue
        try:
            files[name] = path.read_text()
        except UnicodeDecodeError:
            continue
    return files


def test_no_tracked_file_cites_an_outside_document() -> None:
    files = tracked_text_files()
    assert len(files) > 100
    assert outside_references(files) == []


@pytest.mark.parametrize(
    "line",
    [
        "see ../shared/pitfalls.md",
        "Channel precedence (shared/domain.md, *Channels*)",
        "the house style (style.md)",
        "as defined in simulator/RULES.md",
        "`domain.md`",
    ],
)
def test_a_citation_is_caught(line: str) -> None:
    assert outside_references({"x.py": f"ok\n{line}\n"}) == [f"x.py:2: {line}"]


@pytest.mark.parametrize(
    "line",
    [
        "models/marts/shared/kpi_weekly_scorecard.sql",
        "select * from {{ ref('kpi_weekly_scorecard') }}  -- marts/shared/",
        "docs/quality_rules.md and simulator/README.md",
        "shared_domain.md_like_name",
    ],
)
def test_the_project_own_paths_pass(line: str) -> None:
    assert outside_references({"x.py": line}) == []
