"""Bad input never disappears: every line is loaded, quarantined, or stops its table loudly."""

from __future__ import annotations

import subprocess
import sys

import duckdb
import pytest

from orchestration.ingest import IngestError, LoadError, load_landing, load_table
from orchestration.warehouse import WarehouseLockedError
from tests.ingest.helpers import (
    ACCOUNT_HEADER,
    account_row,
    lines,
    query,
    rejected,
    write,
    write_accounts,
)

pytestmark = pytest.mark.reliability  # a case of issue 20's campaign (docs/reliability.md)


def load_account(settings, landing, content):
    path = write(landing, "salesforce", "account.csv", content)
    result = load_table(settings, "salesforce", "account", path)
    assert result.rows_in_file == result.rows_loaded + result.rows_quarantined
    loaded = query(settings, "select count(*) from raw_salesforce.account")[0][0]
    assert loaded == result.rows_loaded
    return result


def physical_data_lines(content: str | bytes) -> int:
    data = content.encode() if isinstance(content, str) else content
    return len([line for line in data.split(b"\n")[1:] if line.strip()])


@pytest.mark.parametrize(
    ("bad_line", "column", "reason"),
    [
        (account_row("B", created="2024-13-45"), "created_date", "is not a timestamp"),
        (account_row("B", created="yesterday"), "created_date", "is not a timestamp"),
        (account_row("B", employees="12abc"), "number_of_employees", "is not an integer"),
        (account_row("B", employees="12.5"), "number_of_employees", "is not an integer"),
        (account_row("B", deleted="maybe"), "is_deleted", "is not a boolean"),
        (account_row(""), "id", "required value is missing"),
    ],
    ids=["bad-date", "word-date", "non-numeric", "fraction", "bad-boolean", "missing-required"],
)
def test_values_that_do_not_type_are_quarantined(settings, landing, bad_line, column, reason):
    content = lines(ACCOUNT_HEADER, account_row("A1"), bad_line, account_row("A2"))
    result = load_account(settings, landing, content)
    assert (result.rows_in_file, result.rows_loaded, result.rows_quarantined) == (3, 2, 1)
    [(line, col, why, raw)] = rejected(settings, "account")
    assert (line, col) == (3, column)
    assert reason in why and column in why
    assert raw == bad_line


def test_non_numeric_amount_is_quarantined(settings, landing):
    header = "id,name,amount,close_date,_fivetran_synced"
    path = write(
        landing,
        "salesforce",
        "opportunity.csv",
        lines(
            header,
            "O1,Deal,100.5,2024-01-01,2024-01-02",
            "O2,Deal,$1,000,2024-01-01,2024-01-02",
            "O3,Deal,abc,2024-01-01,2024-01-02",
            "O4,Deal,,2024-02-30,2024-01-02",
        ),
    )
    result = load_table(settings, "salesforce", "opportunity", path)
    assert (result.rows_in_file, result.rows_loaded, result.rows_quarantined) == (4, 1, 3)
    rows = rejected(settings, "opportunity")
    assert [r[0] for r in rows] == [3, 4, 5]
    assert "wrong column count" in rows[0][2]  # the unquoted comma splits the amount
    assert rows[1][1] == "amount" and "abc is not a number" in rows[1][2]
    assert rows[2][1] == "close_date" and "is not a date" in rows[2][2]


@pytest.mark.parametrize(
    ("content", "bad_lines", "reason"),
    [
        (
            lines(
                ACCOUNT_HEADER,
                account_row("A1"),
                'A2,"Beta,acme.com,Tech,1,US,C,U,,false,',
                account_row("A3"),
                account_row("A4"),
                account_row("A5", name='"Quoted"'),
            ),
            [3],
            "unbalanced quote",
        ),
        (
            lines(
                ACCOUNT_HEADER,
                account_row("A1"),
                "A2,Beta,acme.com",
                account_row("A3") + ",x",
                account_row("A4"),
            ),
            [3, 4],
            "wrong column count",
        ),
        (
            lines(ACCOUNT_HEADER, account_row("A1"), ACCOUNT_HEADER, account_row("A2")),
            [3],
            "duplicated header line",
        ),
    ],
    ids=["unbalanced-quote", "wrong-column-count", "duplicated-header"],
)
def test_lines_that_do_not_parse_are_quarantined(settings, landing, content, bad_lines, reason):
    result = load_account(settings, landing, content)
    assert result.rows_in_file == physical_data_lines(content)
    assert result.rows_quarantined == len(bad_lines)
    rows = rejected(settings, "account")
    assert [r[0] for r in rows] == bad_lines
    assert all(reason in r[2] for r in rows)
    source_lines = content.split("\n")
    assert [r[3] for r in rows] == [source_lines[n - 1] for n in bad_lines]


def test_unbalanced_quote_does_not_swallow_later_lines(settings, landing):
    content = lines(
        ACCOUNT_HEADER,
        'A1,"Acme,acme.com,Tech,1,US,C,U,,false,',
        account_row("A2"),
        account_row("A3", name='"Gamma, Inc"'),
    )
    result = load_account(settings, landing, content)
    assert (result.rows_loaded, result.rows_quarantined) == (2, 1)
    assert query(settings, "select id, name from raw_salesforce.account order by id") == [
        ("A2", "Acme"),
        ("A3", "Gamma, Inc"),
    ]


def test_quoted_newlines_and_commas_are_values(settings, landing):
    content = lines(
        ACCOUNT_HEADER,
        account_row("A1", name='"Multi\nline, name"'),
        account_row("A2"),
        "A3,Bad",
        account_row("A4"),
    )
    result = load_account(settings, landing, content)
    assert (result.rows_in_file, result.rows_loaded, result.rows_quarantined) == (4, 3, 1)
    assert rejected(settings, "account")[0][0] == 5  # line numbers count physical lines
    assert query(settings, "select name from raw_salesforce.account where id = 'A1'") == [
        ("Multi\nline, name",)
    ]


def test_non_utf8_byte_is_quarantined_with_its_bytes(settings, landing):
    content = lines(
        ACCOUNT_HEADER, account_row("A1"), account_row("A2", name="Caf\udce9"), account_row("A3")
    ).encode("utf-8", errors="surrogateescape")
    result = load_account(settings, landing, content)
    assert (result.rows_in_file, result.rows_loaded, result.rows_quarantined) == (3, 2, 1)
    [(line, _, reason, raw)] = rejected(settings, "account")
    assert line == 3 and "not valid UTF-8" in reason and "0xe9" in reason
    assert "Caf\\xe9" in raw


def test_byte_order_mark_is_tolerated(settings, landing):
    content = b"\xef\xbb\xbf" + lines(ACCOUNT_HEADER, account_row("A1")).encode()
    result = load_account(settings, landing, content)
    assert (result.rows_loaded, result.rows_quarantined) == (1, 0)


def test_crlf_and_blank_lines(settings, landing):
    content = lines(ACCOUNT_HEADER, account_row("A1"), "", account_row("A2")).replace("\n", "\r\n")
    result = load_account(settings, landing, content)
    assert (result.rows_in_file, result.rows_loaded, result.rows_quarantined) == (2, 2, 0)


def test_header_only_file_loads_nothing(settings, landing):
    result = load_account(settings, landing, lines(ACCOUNT_HEADER))
    assert (result.rows_in_file, result.rows_loaded) == (0, 0)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty"),
        (b"\n\n", "empty first line"),
        (lines("name,website", "Acme,acme.com"), "required column(s) id"),
        (b"id,na\xffme\nA1,x\n", "header line is not valid UTF-8"),
    ],
    ids=["empty", "blank", "missing-required-column", "bad-header"],
)
def test_file_level_errors_name_the_file_and_keep_earlier_loads(
    settings, landing, content, message
):
    path = write_accounts(landing, account_row("A1"))
    load_table(settings, "salesforce", "account", path)
    write(landing, "salesforce", "account.csv", content)
    with pytest.raises(IngestError) as info:
        load_table(settings, "salesforce", "account", path)
    assert str(path) in str(info.value)
    assert message in str(info.value)
    assert query(settings, "select id from raw_salesforce.account") == [("A1",)]


def test_one_failed_table_does_not_stop_the_others(settings, landing):
    write_accounts(landing, account_row("A1"))
    bad = write(landing, "salesforce", "lead.csv", lines("email,first_name", "a@x.com,Ann"))
    bad_ads = write(landing, "ads", "ad_stats.csv", b"")
    write(landing, "web", "sessions.csv", lines("session_id,started_at", "S1,2024-01-01"))
    with pytest.raises(LoadError) as info:
        load_landing(settings)
    message = str(info.value)
    assert str(bad) in message and "id" in message
    assert str(bad_ads) in message
    assert {f.table for f in info.value.failures} == {"lead", "ad_stats"}
    assert query(settings, "select id from raw_salesforce.account") == [("A1",)]
    assert query(settings, "select session_id from raw_web.sessions") == [("S1",)]
    loaded = {(r.table, r.rows_loaded) for r in info.value.results if r.status == "loaded"}
    assert loaded == {("account", 1), ("sessions", 1)}


def test_landing_folder_errors(settings, tmp_path):
    with pytest.raises(IngestError, match="does not exist"):
        load_landing(settings, landing_dir=tmp_path / "nope")
    (tmp_path / "empty" / "salesforce").mkdir(parents=True)
    (tmp_path / "empty" / "salesforce" / "notes.txt").write_text("x")
    with pytest.raises(IngestError, match="no recognised files"):
        load_landing(settings, landing_dir=tmp_path / "empty")


def test_locked_warehouse_gives_a_clear_error(settings, landing):
    path = write_accounts(landing, account_row("A1"))
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('ready', flush=True);"
            " time.sleep(60)",
            str(settings.duckdb_path),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ready"
        with pytest.raises(WarehouseLockedError, match="locked") as raised:
            load_table(settings, "salesforce", "account", path)
        # it names the holder (a BI tool, a notebook: not always "the running job")
        assert f"locked by process {holder.pid} (python" in str(raised.value)
        assert "BI tool" in str(raised.value)
    finally:
        holder.kill()
        holder.wait()


def test_warehouse_error_in_one_table_keeps_the_others(settings, landing):
    settings.duckdb_path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(settings.duckdb_path))
    con.execute("create schema raw_salesforce")
    con.execute("create table raw_salesforce.account (id varchar, name integer)")
    con.execute("insert into raw_salesforce.account values ('A0', 1)")
    con.close()
    bad = write_accounts(landing, "A1,Acme", header="id,name")
    write(landing, "salesforce", "lead.csv", lines("id,email", "L1,a@x.com"))
    with pytest.raises(LoadError) as info:
        load_landing(settings)
    assert [f.file for f in info.value.failures] == [str(bad)]
    assert "Acme" in str(info.value)
    assert query(settings, "select id from raw_salesforce.lead") == [("L1",)]
    assert query(settings, "select id, name from raw_salesforce.account") == [("A0", 1)]


def test_header_with_case_only_duplicate_is_an_error(settings, landing):
    path = write_accounts(landing, "A1,Acme,x", header="id,name,ID")
    with pytest.raises(IngestError, match="ID, id more than once"):
        load_table(settings, "salesforce", "account", path)


def test_quoted_value_spanning_a_line_that_looks_like_a_record(settings, landing):
    name = '"first\n' + "," * 10 + '\nlast"'  # the middle line alone has 11 fields
    content = lines(ACCOUNT_HEADER, account_row("A1", name=name), account_row("A2"), "A3,x")
    result = load_account(settings, landing, content)
    assert (result.rows_in_file, result.rows_loaded, result.rows_quarantined) == (3, 2, 1)
    assert rejected(settings, "account")[0][0] == 6
    assert query(settings, "select name from raw_salesforce.account where id = 'A1'") == [
        ("first\n" + "," * 10 + "\nlast",)
    ]


def test_a_multi_megabyte_value_loads(settings, landing):
    """Python's csv module stops at 128 KiB per field by default; a long description or an
    e-mail body in a CRM export is bigger, and must not fail its whole table."""
    big = "x" * (3 * 2**20)
    content = lines(ACCOUNT_HEADER, account_row("A1", name=big), account_row("A2"), "A3,Bad")
    result = load_account(settings, landing, content)
    assert (result.rows_in_file, result.rows_loaded, result.rows_quarantined) == (3, 2, 1)
    assert query(settings, "select length(name) from raw_salesforce.account where id = 'A1'") == [
        (len(big),)
    ]


def test_a_quoted_value_of_many_lines_is_one_value(settings, landing):
    """A record may span any number of lines (a pasted e-mail thread): the bound is in bytes."""
    text = "\n".join(f"line {i}" for i in range(1500))
    content = lines(ACCOUNT_HEADER, account_row("A1", name=f'"{text}"'), account_row("A2"))
    result = load_account(settings, landing, content)
    assert (result.rows_in_file, result.rows_loaded, result.rows_quarantined) == (2, 2, 0)
    assert query(settings, "select name from raw_salesforce.account where id = 'A1'") == [(text,)]
    assert query(settings, "select count(*) from raw_salesforce.account where id = 'A2'") == [(1,)]


def test_an_unbalanced_quote_is_still_bounded(settings, landing):
    """An opening quote that never closes rejects its own line, not the rest of the file."""
    rows = [account_row(f"A{i}") for i in range(2000)]
    content = lines(ACCOUNT_HEADER, account_row("X", name='"never closed'), *rows)
    result = load_account(settings, landing, content)
    assert (result.rows_loaded, result.rows_quarantined) == (2000, 1)


def test_a_nul_byte_quarantines_its_row_and_names_the_column(settings, landing):
    """PostgreSQL text cannot hold NUL: the row is quarantined on every target, its raw text
    stored with the byte escaped, and the rest of the table loads."""
    content = lines(
        ACCOUNT_HEADER, account_row("A1"), account_row("A2", name="Ac\x00me"), account_row("A3")
    )
    result = load_account(settings, landing, content)
    assert (result.rows_in_file, result.rows_loaded, result.rows_quarantined) == (3, 2, 1)
    [(line, column, reason, raw)] = rejected(settings, "account")
    assert (line, column) == (3, "name") and "NUL" in reason
    assert "Ac\\x00me" in raw and "\x00" not in raw
