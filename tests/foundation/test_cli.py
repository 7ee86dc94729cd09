"""The revops CLI: help everywhere, clear errors for bad arguments."""

from __future__ import annotations

import pytest

from orchestration.cli import build_parser, main, settings_from_args
from tests.conftest import run_revops

SUBCOMMANDS = ["generate", "run", "load", "build", "check", "report", "export"]


def test_top_level_help_lists_every_subcommand():
    result = run_revops("--help")
    assert result.returncode == 0, result.stderr
    for sub in SUBCOMMANDS:
        assert sub in result.stdout


@pytest.mark.parametrize("sub", SUBCOMMANDS)
def test_every_subcommand_has_help(sub, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main([sub, "--help"])
    assert exit_info.value.code == 0
    assert f"usage: revops {sub}" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["generate", "--scale", "-1", "--out", "x"], "must be greater than 0"),
        (["generate", "--scale", "big", "--out", "x"], "is not a number"),
        (["generate", "--batch", "0", "--out", "x"], "whole number >= 1"),
        (["generate", "--scale", "1"], "--out"),
        (["run", "--target", "oracle"], "invalid choice: 'oracle'"),
        (["build", "--as-of", "yesterday"], "not an ISO-8601"),
        (["frobnicate"], "invalid choice: 'frobnicate'"),
    ],
)
def test_bad_arguments_exit_2_naming_the_problem(argv, message, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err


def test_missing_landing_folder_is_a_clear_error(tmp_path, capsys):
    missing = tmp_path / "nowhere"
    code = main(["run", "--landing", str(missing), "--duckdb-path", str(tmp_path / "w.duckdb")])
    assert code == 2
    err = capsys.readouterr().err
    assert str(missing) in err and "does not exist" in err


def test_empty_landing_folder_is_a_clear_error(tmp_path, capsys):
    """A folder with no contract file (empty, or only misnamed files) stops before any run."""
    landing = tmp_path / "landing"
    (landing / "salesforce").mkdir(parents=True)
    code = main(["load", "--landing", str(landing), "--duckdb-path", str(tmp_path / "w.duckdb")])
    assert code == 2
    err = capsys.readouterr().err
    assert f"no landing files found in {landing}" in err and "salesforce/<table>.csv" in err
    (landing / "salesforce" / "accounts.csv").write_text("id\n1\n")
    assert main(["run", "--landing", str(landing)]) == 2
    assert "not contract tables: salesforce/accounts.csv" in capsys.readouterr().err
    assert not (tmp_path / "w.duckdb").exists()


def test_options_override_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("REVOPS_TARGET", "duckdb")
    monkeypatch.setenv("REVOPS_AS_OF", "2020-01-01")
    args = build_parser().parse_args(
        ["run", "--target", "postgres", "--as-of", "2026-01-01", "--landing", str(tmp_path)]
    )
    settings = settings_from_args(args)
    assert settings.target == "postgres"
    assert settings.as_of == "2026-01-01"
    assert settings.landing_dir == tmp_path.resolve()


def test_bad_target_in_environment_is_named(monkeypatch, capsys, tmp_path):
    monkeypatch.setenv("REVOPS_TARGET", "mysql")
    code = main(["build", "--duckdb-path", str(tmp_path / "w.duckdb")])
    assert code == 2
    assert "REVOPS_TARGET='mysql'" in capsys.readouterr().err
