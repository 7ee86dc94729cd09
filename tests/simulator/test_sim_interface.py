"""Arguments are validated with clear errors; the module CLI works; simulator/README.md
and docs/quality_rules.md are in step."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import sim_rederive as rd

from simulator import generate, spellings
from simulator import reference as ref
from tests.rules_contract import RULE_NAMES

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"scale": 0}, "scale"),
        ({"scale": -1.0}, "scale"),
        ({"scale": float("nan")}, "scale"),
        ({"seed": -1}, "seed"),
        ({"seed": 1.5}, "seed"),
        ({"batch": 0}, "batch"),
        ({"batch": 99}, "batch"),
        ({"inconsistency_rate": -0.1}, "inconsistency_rate"),
        ({"unconvertible_currency": "chf"}, "unconvertible_currency"),
        ({"unconvertible_currency": "USD"}, "unconvertible_currency"),
        ({"unconvertible_currency": "EUR"}, "unconvertible_currency"),
        ({"unconvertible_currency": 3}, "unconvertible_currency"),
        ({"stage_history": "no"}, "stage_history"),
        ({"start_year": "2012"}, "start_year"),
        ({"missing_fields": "x"}, "missing_fields"),
        ({"missing_fields": True}, "missing_fields"),
    ],
)
def test_bad_arguments_name_the_argument(tmp_path: Path, kwargs: dict, name: str):
    with pytest.raises(ValueError, match=name):
        generate(tmp_path, **kwargs)
    assert not any(tmp_path.iterdir())


def test_module_cli_help_and_errors(tmp_path: Path):
    ok = subprocess.run(
        [sys.executable, "-m", "simulator", "--help"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert ok.returncode == 0
    for flag in ("--scale", "--seed", "--out", "--batch", "--inconsistency-rate"):
        assert flag in ok.stdout
    bad = subprocess.run(
        [sys.executable, "-m", "simulator", "--out", str(tmp_path), "--scale", "-3"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert bad.returncode == 2 and "scale" in bad.stderr


def test_rules_md_lists_the_emitted_picklists_and_rules():
    tables = rd.rules_md_tables()
    expected = {
        "lead_status": ref.LEAD_STATUS_STAGE,
        "lifecycle_stage": ref.LIFECYCLE_STAGE_STAGE,
        "opportunity_stage": ref.OPPORTUNITY_STAGE_STAGE,
        "lead_source": ref.LEAD_SOURCE_CHANNEL,
        "analytics_source": ref.ANALYTICS_SOURCE_CHANNEL,
        "utm_source": ref.UTM_SOURCE_CHANNEL,
        "utm_medium": ref.UTM_MEDIUM_CHANNEL,
        "lead_source_vendor": spellings.VENDOR_LEAD_SOURCE_CHANNEL,
        "utm_source_vendor": spellings.VENDOR_UTM_SOURCE_CHANNEL,
        "utm_medium_vendor": spellings.VENDOR_UTM_MEDIUM_CHANNEL,
        "opportunity_type": {kind: kind for kind in spellings.OPPORTUNITY_TYPE},
        "opportunity_type_vendor": spellings.VENDOR_OPPORTUNITY_TYPE,
    }
    assert tables == expected
    text = rd.SIMULATOR_MD.read_text()
    for _, value in ref.UNMAPPED_CANDIDATES:
        assert f"`{value}`" in text
    rules = (rd.ROOT / "docs" / "quality_rules.md").read_text()
    for rule in RULE_NAMES:
        assert f"**{rule}**" in rules
        assert f"{{% docs rule_{rule} %}}" in rules


def test_emitted_values_are_documented(demo: tuple[Path, dict], clean: tuple[Path, dict]):
    tables = rd.rules_md_tables()
    unmapped = {(p, v) for p, v in ref.UNMAPPED_CANDIDATES}
    for folder_truth in (demo, clean):
        for picklist, values in folder_truth[1]["picklist_values"].items():
            for value in values:
                assert value in tables[picklist] or (picklist, value) in unmapped, value


def test_truth_has_the_promised_keys(demo: tuple[Path, dict]):
    truth = demo[1]
    for key in (
        "scale",
        "seed",
        "period",
        "as_of",
        "people",
        "accounts",
        "customers",
        "mqls",
        "sqls",
        "opportunities",
        "opportunities_won",
        "opportunities_lost",
        "won_revenue_usd",
        "ad_spend_usd",
        "ad_spend_usd_by_platform",
        "rows",
        "inconsistencies",
        "inconsistencies_detail",
        "injected",
    ):
        assert key in truth, key
    assert truth["period"] == {"start": "2025-01-01", "end": "2025-12-31"}
    assert truth["as_of"] == "2026-01-01T00:00:00Z"


#: One bad value per profile option: (command-line arguments, generate() kwargs, option name).
BAD_PROFILE_OPTIONS = [
    (["--profile", "nope"], {"profile": "nope"}, "profile"),
    (["--systems", "salesforce,erp"], {"systems": "salesforce,erp"}, "systems"),
    (["--systems", ","], {"systems": ","}, "systems"),
    (["--omit-tables", "salesforce/nope"], {"omit_tables": ["salesforce/nope"]}, "omit_tables"),
    (["--unconvertible-currency", "EUR"], {"unconvertible_currency": "EUR"}, "unconvertible"),
    (["--start-year", "1999"], {"start_year": 1999}, "start_year"),
    (["--start-year", "2026"], {"start_year": 2026}, "start_year"),
    (["--future-dates", "-1"], {"future_dates": -1}, "future_dates"),
    (["--future-dates", "100001"], {"future_dates": 1.5}, "future_dates"),
    (
        ["--profile", "ads-only", "--systems", "ads", "--omit-tables", "ads/ad_stats"],
        {"systems": "ads", "omit_tables": "ads/ad_stats"},
        "omit_tables",
    ),
    (["--missing-fields", "0.6"], {"missing_fields": 0.6}, "missing_fields"),
    (["--missing-fields", "-0.1"], {"missing_fields": -0.1}, "missing_fields"),
    (["--shared-domain-accounts", "-5"], {"shared_domain_accounts": -5}, "shared_domain"),
    (["--shared-domain-accounts", "100001"], {"shared_domain_accounts": 2.5}, "shared_domain"),
    (["--currencies", "brl"], {"currencies": "brl"}, "currencies"),
    (["--currencies", "USD,EUR"], {"currencies": ["USD", "EUR"]}, "currencies"),
    (["--currencies", "EUR,EUR"], {"currencies": "EUR,EUR"}, "currencies"),
    (["--currencies", ","], {"currencies": ""}, "currencies"),
    (
        ["--currencies", "BRL", "--unconvertible-currency", "BRL"],
        {"currencies": "BRL", "unconvertible_currency": "BRL"},
        "unconvertible_currency",
    ),
]


@pytest.mark.parametrize(("argv", "kwargs", "name"), BAD_PROFILE_OPTIONS)
def test_bad_profile_options_name_the_option(tmp_path: Path, argv, kwargs, name):
    with pytest.raises(ValueError, match=name):
        generate(tmp_path / "api", scale=0.02, **kwargs)
    assert not (tmp_path / "api").exists()


@pytest.mark.parametrize(("argv", "kwargs", "name"), BAD_PROFILE_OPTIONS)
def test_bad_profile_options_exit_2_on_both_command_lines(
    tmp_path: Path, capsys, argv, kwargs, name
):
    from orchestration.cli import main as revops
    from simulator.__main__ import main as module_main

    out = str(tmp_path / "out")
    with pytest.raises(SystemExit) as exit_info:
        module_main(["--out", out, "--scale", "0.02", *argv])
    assert exit_info.value.code == 2
    assert name.replace("_", "") in capsys.readouterr().err.replace("_", "")
    assert revops(["generate", "--out", out, "--scale", "0.02", *argv]) == 2
    assert name.replace("_", "") in capsys.readouterr().err.replace("_", "")
    assert not Path(out).exists()


def test_both_command_lines_document_every_profile_option(capsys):
    from orchestration.cli import main as revops
    from simulator.__main__ import main as module_main

    for main, argv in ((module_main, ["--help"]), (revops, ["generate", "--help"])):
        with pytest.raises(SystemExit):
            main(argv)
        text = capsys.readouterr().out
        for flag in PROFILE_FLAGS:
            assert flag in text, (argv, flag)


PROFILE_FLAGS = (
    "--profile",
    "--systems",
    "--omit-tables",
    "--start-year",
    "--future-dates",
    "--no-stage-history",
    "--missing-fields",
    "--shared-domain-accounts",
    "--currencies",
    "--unconvertible-currency",
)
