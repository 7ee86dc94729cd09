"""The default company is byte-for-byte the one the simulator wrote before profiles existed.

MAIN_HASHES were computed with the code of commit 1619ffe (before any profile option was
added) by ``generate(out, scale=0.02, seed=3)``; the profile machinery must not change a byte
of the default output. ground_truth.json may only gain new keys (ADDED_TRUTH_KEYS): it is
compared after dropping them and dumping it the way the simulator does.

Intended changes since: (1) the unconvertible-currency injection (won opportunities in CHF) is
off by default and turned on by ``unconvertible_currency="CHF"``; (2) four deliberately
unmapped picklist values became vendor standards the mapping seeds now map (paid-social,
AI_REFERRALS, Recycled, evangelist) and were replaced by values no seed maps; the hashes of
the files they touch were recomputed with that change alone; (3) opportunity contact roles
and line items gained the is_deleted column and soft-deleted rows of their own (ADDED_ROWS,
ground_truth.json["injected"] two keys): the files are compared without that column and those
rows (and ground_truth.json's row counts without them), so the rows that were there before
must be there unchanged. With the option the output
is MAIN_HASHES; without it only the files CHF touched differ (CHANGED_BY_NO_CHF, computed
right after that change and before any other profile work).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from simulator import generate

MAIN_HASHES = {
    "ads/ad_stats.csv": "4541a32bd0b13bb7cd2dd2e02e1f1081cab79bb3ad4b11c78b51bffc735bfc48",
    "ground_truth.json": "e0fa1fb62e1ba10cfd7b35c0ac9415e80fd55cdd9264877918d4235401d5f149",
    "hubspot/company.csv": "ed0ec28fd5468b17e4c269cd7b5d78c6ad63292566956eacd5a9234b1aee9b4b",
    "hubspot/contact.csv": "7b5d85fcfcc9eb419f036fe67dc07b960a935a4dad952b99b8df6f6b4cf394b9",
    "hubspot/contact_form_submission.csv": (
        "61861f3fa2f1c861d2b1d91ed4b17e965d4077c0ea886a52945dc3724861d66d"
    ),
    "hubspot/deal.csv": "761334a4899da4913bae7cea031feb35295bee991ab1628d142e9da5486a87c0",
    "hubspot/deal_company.csv": "751db57a966acd2b45aa06c173e3300bb862e22b9e7db5db2b6d8fa9e6a71a05",
    "hubspot/deal_contact.csv": "730b1dfd3326fb446b90fb80638d2714fb5831537bc8d4cd0c24c70a08cf46f9",
    "hubspot/deal_pipeline.csv": "92852a1cda9404803ff00633b80df8d7eca5f6ccaab1a5b13395a3e2effbda68",
    "hubspot/deal_pipeline_stage.csv": (
        "a76fa219cb3e519952743e32f0bdf4b992248eea9300920c3611d3f26888d3e6"
    ),
    "hubspot/deal_stage.csv": "bbaf9085d971211930ca0515848c165d5ce8767ab1f7ecf0a18d3aae72a91cc0",
    "hubspot/email_campaign.csv": (
        "ed4bd854b10f301babe4b9ac662c6bfedb035c74da7e62548600bcf81b64f9cd"
    ),
    "hubspot/email_event.csv": "18222860b893dd9caeacaedacc398e360b1626f82edcb4b520526e640727eec2",
    "hubspot/form.csv": "53ef4ba6c63277fbe5bb1c1add3cea5864bf0f353a4f06241e2baf0e557026f2",
    "hubspot/owner.csv": "92cb4828b8e20e1f3c205c12beff524f6e9a9016da3c2b4d4ea03c0074979910",
    "salesforce/account.csv": "2387dd36d52988dce1723cd8d5b0f998db76096d378ddca82055a05f8a7e8760",
    "salesforce/contact.csv": "9b758ca5ab1435625bf112d1eb719979636ae905a6836913ef95584e33584297",
    "salesforce/lead.csv": "733da8314adc146d5c1fcef9ded7cbcd6bb277979172223cd0123615f6ef688f",
    "salesforce/opportunity.csv": (
        "c77ffcdb2f41e0cab09a75cc81b7725d724532b425f06422fb24927a602665ec"
    ),
    "salesforce/opportunity_contact_role.csv": (
        "8bc51d3257aecc435eaa560bb611958c28de6832348ca89bd2b28ac44f4c402d"
    ),
    "salesforce/opportunity_field_history.csv": (
        "24f23065e743d7cdbba8a56f17eb7f799cdf079fab7a83d9b97e5540d95a8633"
    ),
    "salesforce/opportunity_line_item.csv": (
        "369f7f1d8b52596b2d02328f581844a019e21b03509433ee869562f5c86f3a34"
    ),
    "salesforce/product_2.csv": "c3b28f62e2a4fad2c00eaf62dbc36eb5ce07f68a329b8cdcec60269fec94ba28",
    "salesforce/task.csv": "63a413f005b6102afc43165719e4c7be6cbe29f6b974890aff6c8ad8c78bc682",
    "salesforce/user.csv": "44f9f23c97c84c98f612ab5ec7d653642433a43295136f3336e79b8bc98418d4",
    "web/sessions.csv": "688691a8c4592ff3326d5ff4e24a0e6c6d91398117a8f9b3ae4d3cba69e10c70",
}
#: The default company without CHF: the opportunity, its mirrored deal and the truth.
CHANGED_BY_NO_CHF = {
    "ground_truth.json": "dd682bac3a89adc618a1ed544f203ab8f879af0bd3051074694ad110aaaa1662",
    "hubspot/deal.csv": "71b7ff83ef6f5dbbca82ee00b22fffe71f318620350b2d763ac891a8ff374dfe",
    "salesforce/opportunity.csv": (
        "d235cb23f3298be07446e688458c4c2bef4bc94ab2bd47a1816a520b4d839a66"
    ),
}
#: Keys the profile work added to ground_truth.json (absent from MAIN_HASHES' truth).
ADDED_TRUTH_KEYS: frozenset[str] = frozenset(
    {
        "profile",
        "currencies",
        "won_opportunities_rate_extrapolated",
        "future_dated",
        "missing_fields",
        "shared_domain",
        "by_channel",
        "by_channel_excluded",
        "attribution_touches",
        "attribution_touches_excluded",
    }
)


#: Files that gained the is_deleted column and deleted rows (the injected keys that count them).
ADDED_ROWS = {
    "salesforce/opportunity_contact_role.csv": "soft_deleted_contact_role",
    "salesforce/opportunity_line_item.csv": "soft_deleted_line_item",
}


def _without_deleted(data: bytes) -> tuple[bytes, int]:
    """The CSV without its is_deleted column and the rows where it is true; rows dropped."""
    lines = data.decode().split("\n")
    header = lines[0].split(",")
    k = header.index("is_deleted")
    kept, dropped = [], 0
    for line in lines:
        cells = line.split(",")
        if len(cells) == len(header) and cells[k] == "true":
            dropped += 1
            continue
        kept.append(",".join(cells[:k] + cells[k + 1 :]) if len(cells) == len(header) else line)
    return "\n".join(kept).encode(), dropped


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _hashes(folder: Path) -> dict[str, str]:
    out = {}
    injected = json.loads((folder / "ground_truth.json").read_bytes())["injected"]
    for path in sorted(folder.rglob("*")):
        if not path.is_file():
            continue
        name = str(path.relative_to(folder))
        data = path.read_bytes()
        if name == "ground_truth.json":
            truth = {k: v for k, v in json.loads(data).items() if k not in ADDED_TRUTH_KEYS}
            truth["injected"] = {
                k: v for k, v in truth["injected"].items() if k not in ADDED_ROWS.values()
            }
            for file, key in ADDED_ROWS.items():  # the rows counted without the deleted ones
                for counts in (truth["rows"], truth["rows_cumulative"]):
                    counts[file.removesuffix(".csv")] -= injected[key]
            data = (json.dumps(truth, indent=2, sort_keys=True) + "\n").encode()
        if name in ADDED_ROWS:
            data, dropped = _without_deleted(data)
            assert dropped == injected[ADDED_ROWS[name]] > 0, (name, dropped)
        out[name] = _sha(data)
    return out


def test_with_the_chf_option_the_output_is_the_old_default(tmp_path: Path):
    generate(tmp_path, scale=0.02, seed=3, unconvertible_currency="CHF")
    assert _hashes(tmp_path) == MAIN_HASHES


def test_default_output_is_unchanged_but_for_chf(tmp_path: Path):
    generate(tmp_path, scale=0.02, seed=3)
    assert _hashes(tmp_path) == {**MAIN_HASHES, **CHANGED_BY_NO_CHF}
