"""Loading landing files into DuckDB: merge, drift, types, idempotence."""

from __future__ import annotations

import datetime as dt

import pytest

from orchestration.ingest import IngestError, LoadError, load_landing, load_table
from tests.ingest.helpers import (
    ACCOUNT_HEADER,
    AD_STATS_HEADER,
    USER_HEADER,
    account_row,
    lines,
    query,
    rejected,
    write,
    write_accounts,
)


def test_reload_is_idempotent(settings, landing):
    path = write_accounts(landing, account_row("A1"), account_row("A2"))
    first = load_table(settings, "salesforce", "account", path)
    before = query(settings, "select * from raw_salesforce.account order by id")
    second = load_table(settings, "salesforce", "account", path)
    after = query(settings, "select * from raw_salesforce.account order by id")
    assert before == after
    assert len(after) == 2
    assert (first.rows_in_file, first.rows_loaded, first.rows_quarantined) == (2, 2, 0)
    assert (second.rows_in_file, second.rows_loaded, second.rows_quarantined) == (2, 2, 0)
    assert first.load_id and second.load_id != first.load_id


def test_later_batch_updates_and_adds_rows(settings, landing):
    path = write_accounts(
        landing,
        account_row("A1", name="Old", synced="2024-02-01T00:00:00Z"),
        account_row("A2", name="Two", synced="2024-02-01T00:00:00Z"),
    )
    load_table(settings, "salesforce", "account", path)
    write_accounts(
        landing,
        account_row("A1", name="New", synced="2024-03-01T00:00:00Z", deleted="true"),
        account_row("A3", name="Three", synced="2024-03-01T00:00:00Z"),
    )
    load_table(settings, "salesforce", "account", path)
    rows = query(
        settings,
        "select id, name, is_deleted, _fivetran_synced from raw_salesforce.account order by id",
    )
    assert rows == [
        ("A1", "New", True, dt.datetime(2024, 3, 1)),  # soft delete kept as a column
        ("A2", "Two", False, dt.datetime(2024, 2, 1)),
        ("A3", "Three", False, dt.datetime(2024, 3, 1)),
    ]


@pytest.mark.reliability
def test_same_key_twice_in_one_file_latest_sync_wins(settings, landing):
    path = write_accounts(
        landing,
        account_row("A1", name="Newest", synced="2024-03-01T00:00:00Z"),
        account_row("A1", name="Older", synced="2024-02-01T00:00:00Z"),
    )
    result = load_table(settings, "salesforce", "account", path)
    assert query(settings, "select name from raw_salesforce.account") == [("Newest",)]
    assert (result.rows_in_file, result.rows_loaded, result.rows_superseded) == (2, 2, 1)
    assert "1 row(s) repeat the key of another line" in result.summary()


def test_schema_drift_adds_text_column_and_keeps_double_underscore(settings, landing):
    path = write_accounts(landing, account_row("A1"))
    load_table(settings, "salesforce", "account", path)
    write_accounts(
        landing, account_row("A2") + ",EMEA,7", header=ACCOUNT_HEADER + ",region__c,Score"
    )
    result = load_table(settings, "salesforce", "account", path)
    assert result.new_columns == ("region__c", "Score")
    columns = dict(
        query(
            settings,
            "select column_name, data_type from information_schema.columns "
            "where table_schema = 'raw_salesforce' and table_name = 'account'",
        )
    )
    assert columns["region__c"] == "VARCHAR"
    assert columns["Score"] == "VARCHAR"
    assert "region_c" not in columns
    assert query(
        settings, 'select id, region__c, "Score" from raw_salesforce.account order by id'
    ) == [
        ("A1", None, None),
        ("A2", "EMEA", "7"),
    ]


def test_types_timestamps_booleans_and_empty_strings(settings, landing):
    path = write_accounts(
        landing,
        account_row("A1", created="2024-01-01T10:00:00Z", deleted="TRUE"),
        account_row("A2", created="2024-01-01T10:00:00+02:00", deleted="no"),
        account_row("A3", created="2024-01-01 10:00:00", deleted="1"),
        account_row("A4", created="", deleted="Yes", employees=""),
        account_row("A5", created="2024-01-01T10:00:00.5-05:30", deleted="0", employees="12.0"),
    )
    load_table(settings, "salesforce", "account", path)
    rows = query(
        settings,
        "select id, created_date, is_deleted, number_of_employees from raw_salesforce.account "
        "order by id",
    )
    assert rows == [
        ("A1", dt.datetime(2024, 1, 1, 10), True, 10),
        ("A2", dt.datetime(2024, 1, 1, 8), False, 10),
        ("A3", dt.datetime(2024, 1, 1, 10), True, 10),
        ("A4", None, True, None),
        ("A5", dt.datetime(2024, 1, 1, 15, 30, 0, 500000), False, 12),
    ]
    types = dict(
        query(
            settings,
            "select column_name, data_type from information_schema.columns "
            "where table_schema = 'raw_salesforce' and table_name = 'account'",
        )
    )
    assert types["created_date"] == "TIMESTAMP"
    assert types["number_of_employees"] == "BIGINT"
    assert types["is_deleted"] == "BOOLEAN"


def test_contract_column_absent_from_file_is_added_as_null(settings, landing):
    path = write(landing, "salesforce", "user.csv", lines("id,name", "U1,Ann"))
    result = load_table(settings, "salesforce", "user", path)
    assert "is_active" in result.missing_columns
    # said, never silent: the load line names every missing contract column
    assert "contract columns missing (NULL in staging): email, user_role, manager_id" in (
        result.summary()
    )
    assert query(settings, 'select id, is_active from raw_salesforce."user"') == [("U1", None)]


def test_user_table_reserved_word(settings, landing):
    path = write(
        landing,
        "salesforce",
        "user.csv",
        lines(
            USER_HEADER,
            "U1,Ann,a@x.com,Rep,,true,2024-01-01",
            "U2,Bob,b@x.com,Mgr,U1,no,2024-01-01",
        ),
    )
    result = load_table(settings, "salesforce", "user", path)
    assert result.rows_loaded == 2
    assert query(
        settings, 'select id, manager_id, is_active from raw_salesforce."user" order by id'
    ) == [
        ("U1", None, True),
        ("U2", "U1", False),
    ]


def test_ad_stats_keeps_repeated_rows_and_reload_is_idempotent(settings, landing):
    row = "2024-01-01,google,AC1,C1,Brand,G1,,10,100,5.5,1,2024-01-02T00:00:00Z"
    path = write(
        landing,
        "ads",
        "ad_stats.csv",
        lines(
            AD_STATS_HEADER,
            row,
            row,
            "2024-01-02,google,AC1,C1,Brand,G1,,1,10,0.5,0,2024-01-03T00:00:00Z",
        ),
    )
    for _ in range(2):
        result = load_table(settings, "ads", "ad_stats", path)
        assert result.rows_loaded == 3
        assert query(settings, "select count(*), sum(spend) from raw_ads.ad_stats") == [(3, 11.5)]
    # a later sync of the same rows does not double count
    write(
        landing,
        "ads",
        "ad_stats.csv",
        lines(AD_STATS_HEADER, row.replace("01-02T", "01-05T"), row.replace("01-02T", "01-05T")),
    )
    load_table(settings, "ads", "ad_stats", path)
    assert query(settings, "select count(*), sum(spend) from raw_ads.ad_stats") == [(3, 11.5)]
    # nor does a column that appears later (drift columns are not part of the row key)
    write(landing, "ads", "ad_stats.csv", lines(AD_STATS_HEADER + ",device", row + ",mobile"))
    result = load_table(settings, "ads", "ad_stats", path)
    assert result.new_columns == ("device",)
    assert query(settings, "select count(*), sum(spend) from raw_ads.ad_stats") == [(3, 11.5)]
    # nor does the ad account's currency, a contract column outside the row key (added to the
    # contract after warehouses had loaded rows keyed without it)
    write(landing, "ads", "ad_stats.csv", lines(AD_STATS_HEADER + ",currency_code", row + ",USD"))
    load_table(settings, "ads", "ad_stats", path)
    assert query(
        settings, "select count(*), sum(spend), count(currency_code) from raw_ads.ad_stats"
    ) == [(3, 11.5, 1)]  # the one re-delivered row now says its currency


def test_jsonl_file(settings, landing):
    write(
        landing,
        "web",
        "sessions.jsonl",
        lines(
            '{"session_id": "S1", "started_at": "2024-01-01T00:00:00Z", "utm_source": "google"}',
            '{"session_id": "S2", "started_at": "2024-01-01T01:00:00+01:00", "extra": {"a": 1}}',
            "not json",
            '{"session_id": "S3", "started_at": "yesterday"}',
        ),
    )
    results = load_landing(settings)
    result = next(r for r in results if r.table == "sessions")
    assert (result.rows_in_file, result.rows_loaded, result.rows_quarantined) == (4, 2, 2)
    assert result.new_columns == ("extra",)
    assert query(
        settings, "select session_id, started_at, extra from raw_web.sessions order by 1"
    ) == [
        ("S1", dt.datetime(2024, 1, 1), None),
        ("S2", dt.datetime(2024, 1, 1), '{"a": 1}'),
    ]
    assert [r[:2] for r in rejected(settings, "sessions")] == [(3, None), (4, "started_at")]


@pytest.mark.reliability
def test_a_json_array_saved_as_jsonl_is_a_file_error(settings, landing):
    write(
        landing,
        "web",
        "sessions.jsonl",
        '[{"session_id": "S1", "started_at": "2024-01-01T00:00:00Z"},\n'
        ' {"session_id": "S2", "started_at": "2024-01-01T01:00:00Z"}]\n',
    )
    with pytest.raises(LoadError, match=r"sessions\.jsonl: the file is one JSON array"):
        load_landing(settings)


def test_load_landing_reports_missing_tables(settings, landing):
    write_accounts(landing, account_row("A1"))
    messages: list[str] = []
    results = load_landing(settings, progress=messages.append)
    by_table = {(r.system, r.table): r for r in results}
    assert by_table[("salesforce", "account")].rows_loaded == 1
    assert by_table[("salesforce", "lead")].status == "missing"
    assert by_table[("web", "sessions")].status == "missing"
    assert any("lead: no landing file" in m for m in messages)


def test_load_line_counts_extra_columns_and_groups_quarantine_reasons():
    """Connectors add columns by the hundred: the line counts them and names a few; the
    quarantine reasons are grouped without their values, most frequent first."""
    from orchestration.ingest.results import LoadResult, top_reasons

    reasons = top_reasons(
        [
            "column amount: 12abc is not a number",
            "column amount: n/a is not a number",
            "column id: required value is missing",
            "column close_date: 31/02 is not a date; column amount: x is not a number",
        ]
    )
    assert reasons == (
        ("column amount is not a number", 2),
        ("column id: required value is missing", 1),
        ("column close_date is not a date", 1),
    )
    result = LoadResult(
        system="salesforce",
        table="lead",
        file="lead.csv",
        rows_in_file=10,
        rows_loaded=6,
        rows_quarantined=4,
        new_columns=tuple(f"custom_{i}__c" for i in range(200)),
        duration_s=0.5,
        load_id="l1",
        quarantine_reasons=reasons,
    )
    line = result.summary()
    assert "4 quarantined (2 x column amount is not a number; 1 x column id" in line
    assert "200 columns beyond the contract (custom_0__c, custom_1__c" in line
    assert "... 195 more)" in line and "custom_199__c" not in line


@pytest.mark.reliability
def test_a_file_written_to_while_it_is_read_is_not_loaded(settings, landing, monkeypatch):
    from orchestration.ingest import runner
    from orchestration.ingest.contract import load_contract

    path = write_accounts(landing, account_row("A1"))
    read = runner._read_and_type

    def read_while_a_writer_appends(table, file):
        typed = read(table, file)
        with file.open("a") as handle:  # the exporter is still copying the file
            handle.write(account_row("A2") + "\n")
        return typed

    monkeypatch.setattr(runner, "_read_and_type", read_while_a_writer_appends)
    table = load_contract(settings.project_dir).get("salesforce", "account")
    with pytest.raises(IngestError, match=r"account\.csv: the file changed while it was read"):
        runner.prepare(table, path)


@pytest.mark.parametrize(
    ("first", "second", "line"),
    [
        # in one object, and in two objects of one file
        ('{"session_id": "S1", "Session_Id": "S9", "started_at": "2024-01-01"}', "{}", 1),
        ('{"session_id": "S1", "started_at": "2024-01-01"}', '{"SESSION_ID": "S2"}', 2),
    ],
)
@pytest.mark.reliability
def test_jsonl_keys_differing_only_by_case_are_a_file_error(settings, landing, first, second, line):
    write(landing, "web", "sessions.jsonl", lines(first, second))
    write_accounts(landing, account_row("A1"))
    with pytest.raises(LoadError) as raised:
        load_landing(settings)
    message = str(raised.value)
    assert "sessions.jsonl: the keys 'session_id' (line 1) and " in message
    assert f"(line {line}) differ only by case" in message and "web.sessions" in message
    assert [f.table for f in raised.value.failures] == ["sessions"]
    assert raised.value.results[0].rows_loaded == 1  # the other tables still load
