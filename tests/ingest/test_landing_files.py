"""Every entry of the landing folder is accounted for: a table's file, or named and explained."""

from __future__ import annotations

import gzip
import os
from pathlib import Path

import pytest

from orchestration.ingest import IngestError, describe_unknown, find_files, load_contract
from orchestration.ingest.landing import (
    encode_file_state,
    file_key,
    file_stat,
    parse_file_state,
    requested_files,
)
from orchestration.settings import PROJECT_DIR

pytestmark = pytest.mark.reliability  # a case of issue 20's campaign (docs/reliability.md)

CONTRACT = load_contract(PROJECT_DIR)


def touch(path: Path, text: str = "id\n1\n") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


@pytest.mark.parametrize(
    ("name", "hint"),
    [
        ("Account.csv", "salesforce/account.csv"),
        ("lead.CSV", "salesforce/lead.csv"),
        ("accounts.csv", "salesforce/account.csv"),
        ("opportunities.jsonl", "salesforce/opportunity.jsonl"),
    ],
)
def test_a_near_miss_is_reported_with_the_name_it_should_have(
    tmp_path: Path, name: str, hint: str
) -> None:
    path = touch(tmp_path / "salesforce" / name)
    found, _, unknown = find_files(tmp_path, CONTRACT, ["salesforce"])
    assert found == [] and unknown == [path]
    message = describe_unknown(path, CONTRACT)
    assert str(path) in message and f"did you mean {hint}?" in message


def test_a_compressed_file_is_reported_not_skipped(tmp_path: Path) -> None:
    path = tmp_path / "salesforce" / "contact.csv.gz"
    path.parent.mkdir(parents=True)
    path.write_bytes(gzip.compress(b"id\n1\n"))
    _, _, unknown = find_files(tmp_path, CONTRACT, ["salesforce"])
    assert unknown == [path]
    message = describe_unknown(path, CONTRACT)
    assert "salesforce/contact.csv" in message and "decompress" in message


def test_an_unrelated_file_is_reported_without_a_guess(tmp_path: Path) -> None:
    path = touch(tmp_path / "salesforce" / "notes.txt")
    _, _, unknown = find_files(tmp_path, CONTRACT, ["salesforce"])
    assert unknown == [path]
    assert "did you mean" not in describe_unknown(path, CONTRACT)


def test_a_folder_where_a_file_should_be_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "salesforce" / "account.csv").mkdir(parents=True)
    with pytest.raises(IngestError, match=r"account\.csv is a folder"):
        find_files(tmp_path, CONTRACT, ["salesforce"])


def test_a_symlink_leaving_the_folder_is_refused(tmp_path: Path) -> None:
    secret = touch(tmp_path / "outside" / "secret.csv", "password\nhunter2\n")
    landing = tmp_path / "landing"
    (landing / "salesforce").mkdir(parents=True)
    os.symlink(secret, landing / "salesforce" / "account.csv")
    with pytest.raises(IngestError, match="leaves the landing folder") as raised:
        find_files(landing, CONTRACT, ["salesforce"])
    assert "hunter2" not in str(raised.value)


def test_a_symlink_loop_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "salesforce"
    folder.mkdir()
    os.symlink(folder / "lead.csv", folder / "lead.csv")
    with pytest.raises(IngestError, match="loops"):
        find_files(tmp_path, CONTRACT, ["salesforce"])


def test_a_symlink_inside_the_folder_is_followed(tmp_path: Path) -> None:
    real = touch(tmp_path / "exports" / "account.csv")
    os.symlink(real, touch(tmp_path / "salesforce" / "x").parent / "account.csv")
    (tmp_path / "salesforce" / "x").unlink()
    found, _, unknown = find_files(tmp_path, CONTRACT, ["salesforce"])
    assert [t.name for t, _ in found] == ["account"] and unknown == []


def _grow(path: Path, text: str) -> None:
    """Append to a file and move its mtime, as a writer still copying it would."""
    with path.open("a") as handle:
        handle.write(text)
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))


def test_a_sensor_run_loads_exactly_the_files_its_request_named(tmp_path: Path) -> None:
    account = touch(tmp_path / "salesforce" / "account.csv")
    lead = touch(tmp_path / "salesforce" / "lead.csv")
    contact = touch(tmp_path / "salesforce" / "contact.csv")
    found, _, _ = find_files(tmp_path, CONTRACT, ["salesforce"])
    # the sensor saw account and lead settled; contact was still being written
    tag = encode_file_state({file_key(p): file_stat(p) for p in (account, lead)})
    requested = parse_file_state(tag)
    assert requested is not None
    _grow(lead, "2\n")  # and lead was written to again after the request
    load, deferred = requested_files(found, requested)
    assert [p for _, p in load] == [account]
    reasons = {item.path: item.describe() for item in deferred}
    assert set(reasons) == {lead, contact}
    assert "still being written when the landing sensor requested this run" in reasons[contact]
    assert "changed after the landing sensor requested this run" in reasons[lead]
    assert all("skipped for now" in text and str(path) in text for path, text in reasons.items())


def test_an_unreadable_files_tag_is_no_request() -> None:
    assert parse_file_state(None) is None
    assert parse_file_state("not json") is None
    assert parse_file_state("[1, 2]") is None
    assert parse_file_state('{"a/x.csv": [1, 2], "b/y.csv": "bad"}') == {"a/x.csv": [1, 2]}
