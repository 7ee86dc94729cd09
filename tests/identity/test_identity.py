"""Account identity on a company whose people share email domains across many accounts.

Marketplace sellers, franchisees and a reseller's customers stay separate accounts; explicit
links (a linked deal, the same web site) still merge; a cluster over the bound is flagged and
not merged; marts.dim_identity_links says which link did what; rule 13 identity_cluster_health
counts the suspicious clusters and fails at threshold 0 on this company. Every expected number
comes from tests/identity/company.py.
"""

from __future__ import annotations

import pytest

from orchestration.quality.config import load_config
from tests.identity.company import FRANCHISE_DOMAIN, MARKET_DOMAIN
from tests.identity.conftest import IdentityWarehouse
from tests.quality.alone import run_alone

pytestmark = pytest.mark.slow

RULE = "identity_cluster_health"


def account_of(w: IdentityWarehouse, record_key: str) -> str:
    return w.scalar(
        "select account_id from intermediate.int_account_identities "
        f"where record_key = '{record_key}'"
    )


def test_every_crm_record_sharing_only_an_email_domain_stays_its_own_account(
    identity_warehouse: IdentityWarehouse,
) -> None:
    w, e = identity_warehouse, identity_warehouse.expected
    assert (
        w.scalar("select count(*) from marts.dim_account where not is_unknown_member") == e.accounts
    )
    seller_accounts = {account_of(w, f"salesforce_account:{s}") for s in e.sellers}
    assert len(seller_accounts) == len(e.sellers)
    assert account_of(w, f"hubspot_company:{e.market_company}") not in seller_accounts
    # each seller's person (Salesforce contact + HubSpot contact, one email) is in their account
    rows = w.query(
        "select salesforce_account_id, person_count from marts.dim_account "
        f"where salesforce_account_id in ({', '.join(repr(s) for s in e.sellers)})"
    )
    assert sorted(rows) == [(s, 1) for s in e.sellers]


def test_explicit_links_still_merge_and_free_mail_web_sites_do_not(
    identity_warehouse: IdentityWarehouse,
) -> None:
    w, e = identity_warehouse, identity_warehouse.expected
    acme = account_of(w, f"salesforce_account:{e.acme_account}")
    assert account_of(w, f"hubspot_company:{e.acme_company}") == acme
    assert w.query(
        f"select resolved_from, person_count from marts.dim_account where account_id = '{acme}'"
    ) == [("both", e.acme_people)]
    assert account_of(w, f"salesforce_account:{e.free_mail_account}") != account_of(
        w, f"hubspot_company:{e.free_mail_company}"
    )
    two = w.query(
        "select person_count, domain_count from marts.dim_account "
        f"where salesforce_account_id = '{e.two_domain_account}'"
    )
    assert two == [(e.two_domain_people, 1)]


def test_the_franchise_cluster_is_flagged_and_not_merged(
    identity_warehouse: IdentityWarehouse,
) -> None:
    w, e = identity_warehouse, identity_warehouse.expected
    keys = ", ".join(f"'salesforce_account:{f}'" for f in e.franchisees)
    rows = w.query(
        "select count(distinct account_id), count(distinct cluster_id), "
        "min(cast(is_cluster_over_bound as integer)), min(link_method), max(link_method) "
        f"from intermediate.int_account_identities where record_key in ({keys})"
    )
    assert rows == [(len(e.franchisees), 1, 1, "cluster_over_bound", "cluster_over_bound")]


def test_identity_links_say_what_was_applied_and_why_not(
    identity_warehouse: IdentityWarehouse,
) -> None:
    w, e = identity_warehouse, identity_warehouse.expected
    summary = dict(
        ((rule, reason), count)
        for rule, reason, count in w.query(
            "select rule, coalesce(not_applied_reason, 'applied'), count(*) "
            "from marts.dim_identity_links where entity = 'account' group by 1, 2"
        )
    )
    # the franchise: every location's web site links it to the first, none applied
    assert summary[("website_domain", "cluster_over_bound")] == len(e.franchisees) - 1
    # HubSpot associated every seller with the marketplace's company: ambiguous, blocked
    assert summary[("associated_company", "ambiguous_association")] == len(e.sellers)
    assert summary[("website_domain", "free_mail")] == 1
    assert summary[("linked_deal", "applied")] == 1
    assert summary[("website_domain", "applied")] == 1  # Acme's company and account
    # the marketplace's email domain: every account but the first listed, never applied
    assert summary[("email_domain", "email_domain_only")] == len(e.sellers)
    assert (
        w.scalar(
            "select count(distinct evidence) from marts.dim_identity_links "
            "where rule = 'email_domain'"
        )
        == 1
    )
    assert (
        w.scalar("select min(evidence) from marts.dim_identity_links where rule = 'email_domain'")
        == MARKET_DOMAIN
    )
    assert (
        w.scalar(
            "select min(evidence) from marts.dim_identity_links "
            "where not_applied_reason = 'cluster_over_bound'"
        )
        == FRANCHISE_DOMAIN
    )
    # no PII in the mart: no email address anywhere
    assert (
        w.scalar(
            "select count(*) from marts.dim_identity_links where evidence like '%@%' "
            "or from_record_key like '%@%' or to_record_key like '%@%'"
        )
        == 0
    )


def test_rule_13_counts_the_suspicious_clusters_and_fails_at_threshold_zero(
    identity_warehouse: IdentityWarehouse,
) -> None:
    w, e = identity_warehouse, identity_warehouse.expected
    check = load_config().get(RULE)
    assert (check.severity, check.threshold) == ("warn", 0)
    for threshold, should_pass in (
        (0, False),
        (e.rule_findings - 1, False),
        (e.rule_findings, True),
    ):
        # the rule's view is built once (first pass); a threshold changes only the verdict
        result = run_alone(w.settings, RULE, threshold=threshold, build_rules=threshold == 0)
        assert result.error is None, result.error
        assert result.observed_value == e.rule_findings, result.sample_rows
        assert result.success is should_pass, (threshold, result.observed_value)
    findings = sorted(row["finding"] for row in result.sample_rows)
    assert findings == sorted(
        ["cluster over the bound, not merged"] * e.clusters_over_bound
        + ["email domain shared by people of many accounts, not merged"]
        * e.email_domains_over_bound
    )


def test_rule_13_option_sets_how_many_accounts_an_email_domain_may_span(
    identity_warehouse: IdentityWarehouse,
) -> None:
    """Above the marketplace's account count, its email domain is no finding any more."""
    w, e = identity_warehouse, identity_warehouse.expected
    result = run_alone(w.settings, RULE, max_accounts_per_email_domain=len(e.sellers) + 1)
    assert result.observed_value == e.clusters_over_bound, result.sample_rows
