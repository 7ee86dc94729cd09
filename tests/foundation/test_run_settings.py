"""as_of: one parser (run_settings.resolve_as_of), one run tag, one dbt --vars builder."""

from __future__ import annotations

import json
import time
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from dagster import DagsterInstance, asset, materialize

from orchestration.resources import RevopsResource
from orchestration.run_settings import (
    AS_OF_TAG,
    AsOfError,
    as_of_from_tags,
    as_of_tag,
    dbt_vars_args,
    format_as_of,
    resolve_as_of,
)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("2026-01-01T10:00:00+02:00", datetime(2026, 1, 1, 8)),  # offsets honoured
        ("2025-12-31T22:30:00-03:30", datetime(2026, 1, 1, 2)),
        ("2026-01-01T08:00:00Z", datetime(2026, 1, 1, 8)),  # Z is UTC
        ("2026-01-01T08:00:00", datetime(2026, 1, 1, 8)),  # no offset: UTC
        ("2026-01-01 08:00:00.250000", datetime(2026, 1, 1, 8, 0, 0, 250000)),
        ("2026-01-01", datetime(2026, 1, 1)),  # a date: midnight UTC
        ("  2026-01-01  ", datetime(2026, 1, 1)),
        (date(2026, 1, 1), datetime(2026, 1, 1)),
        (datetime(2026, 1, 1, 10, tzinfo=timezone(timedelta(hours=2))), datetime(2026, 1, 1, 8)),
    ],
)
def test_as_of_resolves_to_naive_utc(given: str | date, expected: datetime) -> None:
    resolved = resolve_as_of(given)
    assert resolved == expected
    assert resolved.tzinfo is None


def test_empty_as_of_is_now_to_the_second() -> None:
    now = datetime(2026, 3, 4, 5, 6, 7, 890123, tzinfo=timezone(timedelta(hours=-5)))
    assert resolve_as_of("", now=now) == datetime(2026, 3, 4, 10, 6, 7)
    assert resolve_as_of(None, now=now) == datetime(2026, 3, 4, 10, 6, 7)
    current = resolve_as_of("  ")
    assert current.microsecond == 0 and current.tzinfo is None
    assert abs(current - datetime.now(UTC).replace(tzinfo=None)) < timedelta(seconds=5)


@pytest.mark.parametrize("bad", ["yesterday", "2026-13-01", "01/02/2026", "2026-01-01T25:00"])
def test_a_bad_as_of_is_named(bad: str) -> None:
    with pytest.raises(AsOfError, match=f"as_of '{bad}' is not an ISO-8601 date or timestamp"):
        resolve_as_of(bad)


def test_the_tag_and_the_dbt_vars_carry_the_same_utc_instant() -> None:
    as_of = resolve_as_of("2026-01-01T10:00:00+02:00")
    assert format_as_of(as_of) == "2026-01-01T08:00:00Z"
    assert resolve_as_of(format_as_of(as_of)) == as_of  # round trip
    tags = {"other": "x", **as_of_tag(as_of)}
    assert tags[AS_OF_TAG] == "2026-01-01T08:00:00Z"
    assert as_of_from_tags(tags) == as_of
    assert as_of_from_tags({"other": "x"}) is None
    flag, text = dbt_vars_args(as_of, {"min_date": "2025-12-31", "max_date": "2026-01-01"})
    assert flag == "--vars"
    assert json.loads(text) == {
        "as_of": "2026-01-01T08:00:00Z",
        "min_date": "2025-12-31",
        "max_date": "2026-01-01",
    }


def test_a_bad_revops_as_of_stops_the_cli_naming_it(monkeypatch, tmp_path, capsys) -> None:
    from orchestration.cli import main

    monkeypatch.setenv("REVOPS_AS_OF", "next tuesday")
    monkeypatch.setenv("REVOPS_DUCKDB_PATH", str(tmp_path / "w.duckdb"))
    assert main(["build"]) == 2
    assert "as_of 'next tuesday' is not an ISO-8601 date or timestamp" in capsys.readouterr().err
    assert not (tmp_path / "w.duckdb").exists()


def test_every_step_reads_the_runs_as_of_never_its_own_clock(monkeypatch) -> None:
    """The tag when stamped; else the configured as_of; else the run's creation time (the
    same for every step of the run, however long the steps take)."""
    seen: dict[str, datetime] = {}
    slow: list[bool] = []

    @asset
    def first(context, revops: RevopsResource) -> None:
        seen["first"] = revops.run_as_of(context)
        if slow:
            time.sleep(1.1)  # a later step on its own clock would read another second

    @asset(deps=[first])
    def second(context, revops: RevopsResource) -> None:
        seen["second"] = revops.run_as_of(context)

    monkeypatch.delenv("REVOPS_AS_OF", raising=False)
    with DagsterInstance.ephemeral() as instance:
        stamped = materialize(
            [first, second],
            instance=instance,
            resources={"revops": RevopsResource(as_of="2020-01-01")},
            tags=as_of_tag(resolve_as_of("2026-01-01T10:00:00+02:00")),
        )
        assert seen == {"first": datetime(2026, 1, 1, 8), "second": datetime(2026, 1, 1, 8)}

        seen.clear()
        materialize(
            [first, second],
            instance=instance,
            resources={"revops": RevopsResource(as_of="2026-01-01T10:00:00+02:00")},
        )
        assert seen == {"first": datetime(2026, 1, 1, 8), "second": datetime(2026, 1, 1, 8)}

        seen.clear()
        slow.append(True)
        unstamped = materialize(
            [first, second], instance=instance, resources={"revops": RevopsResource()}
        )
        record = instance.get_run_record_by_id(unstamped.run_id)
        created = record.create_timestamp.astimezone(UTC).replace(tzinfo=None, microsecond=0)
        assert seen == {"first": created, "second": created}
    assert stamped.success and unstamped.success
