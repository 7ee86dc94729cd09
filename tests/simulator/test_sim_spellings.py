"""channel_spellings: real-world spellings of the channel picklist values.

The channel of a written value is checked against seeds/channel_mapping.csv only here, to make
sure every spelling the simulator emits maps to the channel it was generated from (the truth
never reads the seed).
"""

from __future__ import annotations

import csv
import itertools
import re
from pathlib import Path

import pandas as pd
import pytest
import sim_rederive as rd
from test_sim_default_unchanged import CHANGED_BY_NO_CHF, MAIN_HASHES, _hashes

from simulator import generate
from simulator import reference as ref
from simulator import spellings as sp
from simulator.profile import add_arguments, kwargs_from_args

BASE_AS_OF = rd.secs(pd.Series(["2026-01-01T00:00:00Z"])).iloc[0]
SEED_CSV = rd.ROOT / "seeds" / "channel_mapping.csv"
TYPE_SEED_CSV = rd.ROOT / "seeds" / "opportunity_type_mapping.csv"
#: Truth keys that may differ between the spellings (what was written, and rule 1 / 11).
SPELLING_KEYS = {"picklist_values", "inconsistencies", "inconsistencies_detail", "profile"}


def key(value: str) -> str | None:
    return rd.picklist_key(value) or None


class SeedChannels:
    """The warehouse's channel of a value (models/intermediate/touchpoints/
    int_touchpoints_unioned.sql, dim_person.sql): picklist keys; for UTM tags an exact source +
    medium row, else the medium alone, else the source alone when there is no medium."""

    def __init__(self) -> None:
        with SEED_CSV.open(newline="") as fh:
            rows = list(csv.DictReader(fh))
        self.rows: dict[tuple[str, str | None, str | None], str] = {}
        self.domains: dict[str, str] = {}
        for r in rows:
            t = r["mapping_type"]
            if t == "referrer_domain":
                self.domains[r["source_value"].strip().lower()] = r["channel"]
                continue
            s = "*" if r["source_value"].strip() == "*" else key(r["source_value"])
            m = "*" if r["medium_value"].strip() == "*" else key(r["medium_value"])
            self.rows[(t, s, m)] = r["channel"]

    def value(self, mapping_type: str, value: str) -> str:
        return self.rows.get((mapping_type, key(value), "*"), "unmapped")

    def session(self, source: str, medium: str, referrer: str, gclid: str = "") -> str:
        if source or medium:
            s, m = key(source), key(medium)
            for probe in ((s, m), ("*", m)):
                if probe[1] is not None and ("utm", *probe) in self.rows:
                    return self.rows[("utm", *probe)]
            if m is None and ("utm", s, "*") in self.rows:
                return self.rows[("utm", s, "*")]
            return "unmapped"
        if gclid:
            return "paid_search"
        if referrer:
            host = re.sub(r"^[a-z][a-z0-9+.-]*://", "", referrer.strip().lower())
            host = re.sub(r"[/?#:].*$", "", re.sub(r"^www[.]", "", host))
            hits = [d for d in self.domains if d != "*" and (host == d or host.endswith("." + d))]
            return self.domains[max(hits, key=len)] if hits else self.domains["*"]
        return "direct"


@pytest.fixture(scope="module")
def seed() -> SeedChannels:
    return SeedChannels()


def seed_types() -> dict[str, str]:
    """seeds/opportunity_type_mapping.csv by picklist key (int_opportunities_enriched)."""
    with TYPE_SEED_CSV.open(newline="") as fh:
        return {
            rd.picklist_key(r["source_value"]): r["opportunity_type"] for r in csv.DictReader(fh)
        }


def test_canonical_is_the_default_byte_for_byte(tmp_path: Path):
    generate(tmp_path, scale=0.02, seed=3, channel_spellings="canonical")
    assert _hashes(tmp_path) == {**MAIN_HASHES, **CHANGED_BY_NO_CHF}


def test_every_spelling_maps_to_its_channel_in_the_seed(seed: SeedChannels):
    for channel, values in sp.LEAD_SOURCE.items():
        for value in values:
            assert seed.value("lead_source", value) == channel, value
    for ch in ref.INBOUND_CHANNELS:
        for source, _ in ch.utm:
            sources = sp.UTM_SOURCE.get((ch.name, source), (source,))
            for s, m in itertools.product(sources, sp.UTM_MEDIUM[ch.name]):
                assert seed.session(s, m, "") == ch.name, (ch.name, s, m)
    assert seed.session(*sp.DIRECT_TAG, "") == "direct"
    for options in sp.SEARCH_REFERRERS.values():
        for url in options:
            assert seed.session("", "", url) == "organic_search", url
    # the documented tables: a source alone, a medium alone (without a social platform source)
    for value, channel in sp.VENDOR_UTM_SOURCE_CHANNEL.items():
        assert seed.session(value, "", "") == channel, value
    for value, channel in sp.VENDOR_UTM_MEDIUM_CHANNEL.items():
        assert seed.session("", value, "") == channel, value
    for value, channel in sp.VENDOR_LEAD_SOURCE_CHANNEL.items():
        assert seed.value("lead_source", value) == channel, value


def test_every_type_spelling_maps_to_its_type_in_the_seed():
    types = seed_types()
    for kind, values in sp.OPPORTUNITY_TYPE.items():
        assert kind in values
        for value in values:
            assert types.get(rd.picklist_key(value)) == kind, value


def test_vendor_company_keeps_every_fact(demo: tuple[Path, dict], vendor: tuple[Path, dict]):
    canonical, spelled = demo[1], vendor[1]
    assert spelled["profile"]["channel_spellings"] == "vendor"
    assert canonical["profile"]["channel_spellings"] == "canonical"
    for name, value in canonical.items():
        if name not in SPELLING_KEYS:
            assert spelled[name] == value, name
    # only person_match moves: it compares the eleven canonical strings literally
    moved = {
        k for k, v in canonical["inconsistencies"].items() if spelled["inconsistencies"][k] != v
    }
    assert moved <= {"person_match"}
    assert spelled["inconsistencies"]["mapping_coverage"] == len(spelled["unmapped_values"])


def test_vendor_company_mixes_spellings(vendor: tuple[Path, dict]):
    values = vendor[1]["picklist_values"]
    for channel in ("direct", "referral", "events", "organic_search"):
        written = set(values["lead_source"]) & set(sp.LEAD_SOURCE[channel])
        assert len(written) >= 2, (channel, written)
    assert len(set(values["utm_medium"]) & set(sp.UTM_MEDIUM["paid_search"])) >= 3
    assert len(set(values["utm_medium"]) & set(sp.UTM_MEDIUM["paid_social"])) >= 3
    assert {"(direct)", "adwords", "fb"} <= set(values["utm_source"])
    assert values["analytics_source"] == sorted(
        set(values["analytics_source"]) & {*ref.ANALYTICS_SOURCE_CHANNEL, "AI_AGENT_REFERRALS"}
    )
    tables = rd.rules_md_tables()
    unmapped = set(ref.UNMAPPED_CANDIDATES)
    for picklist, written in values.items():
        documented = {**tables[picklist], **tables.get(f"{picklist}_vendor", {})}
        for value in written:
            assert value in documented or (picklist, value) in unmapped, (picklist, value)
    sessions = rd.load(vendor[0])["web/sessions"]
    referrers = set(sessions["referrer"])
    assert {"https://www.google.co.uk/", "https://duckduckgo.com/"} & referrers


def test_vendor_rows_map_like_their_canonical_rows(
    demo: tuple[Path, dict], vendor: tuple[Path, dict], seed: SeedChannels
):
    """Row for row (same ids: the spellings use no stream of the plan), a spelled value has the
    channel its canonical value has."""
    a, b = rd.load(demo[0]), rd.load(vendor[0])
    for table in ("salesforce/lead", "salesforce/contact", "salesforce/opportunity"):
        pair = a[table].merge(b[table], on="id", suffixes=("_c", "_v"))
        assert len(pair) == len(a[table]) == len(b[table])
        assert (pair["lead_source_c"] != pair["lead_source_v"]).any(), table
        for c, v in zip(pair["lead_source_c"], pair["lead_source_v"], strict=True):
            assert seed.value("lead_source", v) == seed.value("lead_source", c), (c, v)
    # opportunity types: a spelling of the canonical type, or none (New Business and Expansion
    # on a real account only, so the warehouse can infer it: doc opportunity_type)
    types = seed_types()
    pair = a["salesforce/opportunity"].merge(
        b["salesforce/opportunity"], on="id", suffixes=("_c", "_v")
    )
    missing = pair[pair["type_v"] == ""]
    typed = pair[pair["type_c"] != "Renewal"]
    assert 0.1 * len(typed) < len(missing) < 0.3 * len(typed)
    assert set(missing["type_c"]) == {"New Business", "Expansion"}
    spelled = pair[pair["type_v"] != ""]
    for c, v in zip(spelled["type_c"], spelled["type_v"], strict=True):
        assert types[rd.picklist_key(v)] == c, (c, v)
    assert "New Customer" in set(spelled["type_v"])
    assert spelled["type_v"].str.startswith("Existing Customer - ").any()
    cols = ["utm_source", "utm_medium", "referrer", "gclid"]
    sa = a["web/sessions"][a["web/sessions"]["session_id"] != ""]
    sb = b["web/sessions"][b["web/sessions"]["session_id"] != ""]
    pair = sa.merge(sb, on="session_id", suffixes=("_c", "_v"))
    assert len(pair) == len(sa) == len(sb)
    changed = 0
    for row in pair.itertuples(index=False):
        c = seed.session(*(getattr(row, f"{x}_c") for x in cols))
        v = seed.session(*(getattr(row, f"{x}_v") for x in cols))
        assert v == c, row
        changed += row.utm_medium_c != row.utm_medium_v
    assert changed > len(pair) / 10


def test_vendor_rules_match_the_files(vendor: tuple[Path, dict]):
    folder, truth = vendor
    rates = rd.Rates()
    tables = rd.load(folder)
    assert rd.rules(tables, rates, BASE_AS_OF) == truth["inconsistencies"]
    rd.assert_facts_equal(truth, rd.facts(tables, rates))


def test_clean_vendor_company_has_no_offence(tmp_path: Path):
    truth = generate(tmp_path, scale=0.02, seed=3, inconsistency_rate=0, channel_spellings="vendor")
    assert all(n == 0 for n in truth["inconsistencies"].values()), truth["inconsistencies"]


def test_vendor_spellings_are_deterministic(tmp_path: Path):
    for name in ("a", "b"):
        generate(tmp_path / name, scale=0.02, seed=3, channel_spellings="vendor", batch=1)
    files = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*.*"))
    for name in files:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_option_on_both_command_lines(tmp_path: Path):
    import argparse

    from orchestration.cli import build_parser

    parser = argparse.ArgumentParser()
    add_arguments(parser)
    assert kwargs_from_args(parser.parse_args([]))["channel_spellings"] == "canonical"
    args = parser.parse_args(["--channel-spellings", "vendor"])
    assert kwargs_from_args(args)["channel_spellings"] == "vendor"
    with pytest.raises(SystemExit):
        parser.parse_args(["--channel-spellings", "fancy"])
    args = build_parser().parse_args(["generate", "--out", "x", "--channel-spellings", "vendor"])
    assert kwargs_from_args(args)["channel_spellings"] == "vendor"
    with pytest.raises(ValueError, match="channel_spellings"):
        generate(tmp_path, scale=0.02, seed=3, channel_spellings="fancy")


def test_command_line_help_stays_light():
    """profile.py (read by both --help) imports the spellings without numpy or pandas."""
    import subprocess
    import sys

    code = "import sys, simulator.profile; print('numpy' in sys.modules, 'pandas' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=rd.ROOT, timeout=60
    )
    assert out.stdout.split() == ["False", "False"], out.stderr
