"""run_suites end to end on a tiny DuckDB: history table, offending rows, errors, the CLI."""

from __future__ import annotations

import json
from dataclasses import replace

import duckdb
import pytest

from orchestration.cli import main as revops
from orchestration.quality import history
from orchestration.quality.config import load_config
from orchestration.quality.runner import format_results, run_suites
from orchestration.settings import Settings
from tests.quality.contract import execute, insert


def _history(settings: Settings) -> list[tuple]:
    con = duckdb.connect(str(settings.duckdb_path), read_only=True)
    try:
        return con.execute(
            "select run_id, rule, severity, success, observed_value, threshold, unexpected_count "
            f"from {history.SCHEMA}.{history.TABLE} order by checked_at, rule"
        ).fetchall()
    finally:
        con.close()


def test_every_run_appends_its_results_to_the_history_table(contract_settings: Settings) -> None:
    checks = ["raw_web__sessions", "freshness"]
    # the contract warehouse holds the raw-only rule models (built as the dbt step would)
    first = run_suites(
        contract_settings, run_id="run-1", checks=checks, write_check_pages=False, build_rules=False
    )
    run_suites(
        contract_settings, run_id="run-2", checks=checks, write_check_pages=False, build_rules=False
    )
    rows = _history(contract_settings)
    assert len(rows) == 4
    assert {r[0] for r in rows} == {"run-1", "run-2"}
    by_rule = {r[1]: r for r in rows if r[0] == "run-1"}
    # empty raw tables: never synced, so every monitored source is stale
    freshness = next(r for r in first if r.rule == "freshness")
    assert by_rule["freshness"][2:] == (
        "warn",
        False,
        freshness.observed_value,
        0,
        freshness.unexpected_count,
    )
    assert by_rule["raw_web__sessions"][3] is True


RAW_EMAILS = ("ann.lee@acme.example", "bo@acme.example", "cy@acme.example")


def _duplicates(settings: Settings, copies: int) -> None:
    """Marketing contacts sharing three emails (spelled apart): each copy after the first is a
    duplicate_people finding carrying the email."""
    rows = [
        {"id": 10 * n + i, "property_email": f" {email.upper()} " if i else email}
        for n, email in enumerate(RAW_EMAILS)
        for i in range(copies)
    ]
    insert(settings, "raw_hubspot.contact", [{**r, "_fivetran_deleted": False} for r in rows])


def _stored(settings: Settings) -> list[tuple]:
    con = duckdb.connect(str(settings.duckdb_path), read_only=True)
    try:
        return con.execute(
            "select run_id, data_as_of, rule, row_number, row_values "
            "from quality.dq_offending_rows order by rule, row_number"
        ).fetchall()
    finally:
        con.close()


def test_every_offending_row_is_kept_masked_with_its_run(contract_settings: Settings) -> None:
    """All of a rule's rows (not the 5 of the sample) are stored, masked, with the run and the
    as_of; the next check of the rule replaces them; the check page's file holds them too."""
    from orchestration.run_settings import resolve_as_of

    _duplicates(contract_settings, copies=4)  # 3 emails x 3 extra copies = 9 findings
    (result,) = run_suites(
        contract_settings, run_id="run-1", checks=["duplicate_people"], build_rules=False
    )
    assert result.observed_value == 9 and len(result.sample_rows) == 5
    stored = _stored(contract_settings)
    assert len(stored) == 9
    assert {r[:3] for r in stored} == {
        ("run-1", resolve_as_of(contract_settings.as_of), "duplicate_people")
    }
    assert [r[3] for r in stored] == list(range(1, 10))
    values = [json.loads(r[4]) for r in stored]
    assert {str(v["record_id"]) for v in values} == {
        str(10 * n + i) for n in range(3) for i in (1, 2, 3)
    }
    assert {v["email"] for v in values} == {
        "a***@acme.example",
        "b***@acme.example",
        "c***@acme.example",
    }
    page = json.loads(
        (contract_settings.reports_dir / "checks" / "duplicate_people.json").read_text()
    )
    assert page["total_rows"] == 9 and len(page["rows"]) == 9 and page["run_id"] == "run-1"
    for text in (str(stored), json.dumps(page), str(result)):
        for email in RAW_EMAILS:
            assert email not in text.lower(), email
    # fixed at the source: the next check leaves no row of the older one
    execute(contract_settings, "delete from raw_hubspot.contact where id % 10 <> 0")
    run_suites(contract_settings, run_id="run-2", checks=["duplicate_people"], build_rules=False)
    assert _stored(contract_settings) == []


def test_check_rows_prints_a_rules_rows_with_their_total(
    contract_settings: Settings, capsys: pytest.CaptureFixture
) -> None:
    _duplicates(contract_settings, copies=3)  # 6 findings
    run_suites(contract_settings, run_id="run-r", checks=["duplicate_people"], build_rules=False)
    path = str(contract_settings.duckdb_path)
    assert (
        revops(["check", "--duckdb-path", path, "--rows", "duplicate_people", "--limit", "4"]) == 0
    )
    out = capsys.readouterr().out
    assert out.startswith("duplicate_people: 6 offending rows (status WARN, observed 6)")
    assert "run run-r" in out and "showing 4 of 6: --limit 0 shows all" in out
    assert "a***@acme.example" in out and not any(e in out.lower() for e in RAW_EMAILS)
    table = out.splitlines()[1:6]
    assert table[0].split() == ["record_set", "record_id", "email", "records_with_email", "finding"]
    assert (
        revops(["check", "--duckdb-path", path, "--rows", "duplicate_people", "--limit", "0"]) == 0
    )
    assert (
        len([line for line in capsys.readouterr().out.splitlines() if "hubspot.contact" in line])
        == 6
    )
    # an unknown rule: exit 2, one message naming it and listing the valid rules
    assert revops(["check", "--duckdb-path", path, "--rows", "duplicate_peeple"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: unknown rule 'duplicate_peeple'")
    assert all(r.name in err for r in load_config().rules)


def test_a_check_whose_table_is_absent_is_not_applicable(contract_settings: Settings) -> None:
    """An export without web sessions: its suite has nothing to check and says why; a rule that
    needs only other tables still runs, and one whose every input is absent is not applicable."""
    execute(contract_settings, "drop table raw_web.sessions")
    # the runner rebuilds the rule model: it no longer reads the dropped table
    results = run_suites(
        contract_settings, checks=["raw_web__sessions", "freshness"], write_check_pages=False
    )
    by_name = {r.rule: r for r in results}
    suite = by_name["raw_web__sessions"]
    assert suite.not_applicable and suite.success and suite.status == "N/A"
    assert suite.observed_value is None and "raw_web.sessions is absent" in suite.description
    # the other monitored tables exist (empty, so stale): freshness runs without the absent one
    freshness = by_name["freshness"]
    assert not freshness.not_applicable and not freshness.success
    assert all(row["source_table"] != "web.sessions" for row in freshness.sample_rows)
    assert "N/A" in format_results(results) and "1 not applicable" in format_results(results)


def test_a_rule_whose_model_cannot_build_fails_and_names_what_it_lacks(
    contract_settings: Settings,
) -> None:
    """A rule whose dbt model does not build (here: it reads marts this raw-only warehouse does
    not have) is a failed result carrying dbt's error, never an exception that hides the other
    checks; a rule reading raw tables only is built and runs."""
    results = run_suites(
        contract_settings, checks=["reconciliation", "freshness"], write_check_pages=False
    )
    failed = next(r for r in results if r.rule == "reconciliation")
    assert not failed.success and failed.observed_value is None
    assert failed.error and failed.error.startswith("reconciliation")
    assert "int_opportunity_amounts" in failed.error, failed.error
    assert any(r.rule == "freshness" and r.observed_value is not None for r in results)


def _cli(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, freshness_severity: str = "warn"
) -> int:
    # the raw-table suites and one raw-only rule: the contract warehouse has no other dbt models
    config = load_config()
    config = replace(config, rules=(replace(config.get("freshness"), severity=freshness_severity),))
    monkeypatch.setattr("orchestration.quality.runner.load_config", lambda: config)
    monkeypatch.setenv("REVOPS_REPORTS_DIR", str(settings.reports_dir))
    return revops(["check", "--duckdb-path", str(settings.duckdb_path), "--as-of", "2026-01-01"])


def test_cli_exits_non_zero_only_on_failed_error_checks(
    contract_settings: Settings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    # only warnings fail (freshness on empty tables, a null key in a raw table): exit 0
    insert(contract_settings, "raw_salesforce.opportunity", [{"id": None}])
    assert _cli(contract_settings, monkeypatch) == 0
    out = capsys.readouterr().out
    assert "WARN" in out and "freshness" in out and "revops check --rows RULE" in out
    assert any(
        line.startswith("WARN") and "raw_salesforce__opportunity" in line
        for line in out.splitlines()
    )
    # the same finding from an error-severity check: exit 1
    assert _cli(contract_settings, monkeypatch, freshness_severity="error") == 1
    out = capsys.readouterr().out
    assert any(line.startswith("FAIL") and "freshness" in line for line in out.splitlines())


def test_history_records_the_data_as_of_and_migrates_an_older_table(
    contract_settings: Settings,
) -> None:
    """Rows carry the as_of they checked; a table created before data_as_of existed gains the
    column on the next append and keeps its rows (data_as_of null)."""
    from orchestration.run_settings import resolve_as_of

    con = duckdb.connect(str(contract_settings.duckdb_path))
    con.execute("create schema if not exists quality")
    con.execute(
        "create table quality.dq_check_results (run_id varchar(64) not null, checked_at timestamp "
        "not null, rule varchar(200) not null, severity varchar(10) not null, success boolean "
        "not null, observed_value bigint, threshold bigint not null, unexpected_count bigint)"
    )
    con.execute(
        "insert into quality.dq_check_results values ('old', '2025-06-01', 'orphans', 'warn', "
        "true, 0, 0, 0)"
    )
    con.close()
    run_suites(
        contract_settings,
        run_id="new",
        checks=["orphans"],
        write_check_pages=False,
        build_rules=False,
    )
    con = duckdb.connect(str(contract_settings.duckdb_path), read_only=True)
    try:
        rows = con.execute(
            "select run_id, data_as_of from quality.dq_check_results order by run_id"
        ).fetchall()
    finally:
        con.close()
    assert rows == [("new", resolve_as_of(contract_settings.as_of)), ("old", None)]
