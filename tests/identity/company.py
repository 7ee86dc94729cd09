"""A small hand-made raw company for the account-identity tests, written as landing CSVs.

Every expected number of the tests is derived here from how the company is built, never read
from the warehouse:

* a marketplace: N_SELLERS sellers, each its own Salesforce account without a web site, one
  contact each on the marketplace's email domain, and the same person in HubSpot, associated
  (as HubSpot does by email domain) with the one HubSpot company of that domain; a buyer with
  only a marketplace email and no company;
* a franchise: N_FRANCHISEES Salesforce accounts whose web site is the franchisor's
  (https://www.franchise.example/location-N), one contact each on their own domain;
* Acme: a Salesforce account and a HubSpot company on acme.example, linked by a HubSpot deal
  synced with a Salesforce opportunity; two contacts and one HubSpot-only person;
* a Salesforce account and a HubSpot company whose web site is gmail.com (free mail);
* a company with two email domains: one account (two.example), contacts on two.example and
  two.io.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

N_SELLERS = 15  # more than max_accounts_per_email_domain (10, expectations/checks.yml)
N_FRANCHISEES = 12  # more than identity_max_accounts_per_cluster (10, dbt_project.yml)
MARKET_DOMAIN = "market.example"
FRANCHISE_DOMAIN = "franchise.example"
CREATED = "2024-01-01T00:00:00Z"
AS_OF = "2026-01-01 00:00:00"


@dataclass(frozen=True)
class Expected:
    """What the warehouse must show for this company, from the construction above."""

    sellers: tuple[str, ...]
    franchisees: tuple[str, ...]
    market_company: str
    acme_account: str
    acme_company: str
    acme_people: int
    free_mail_account: str
    free_mail_company: str
    two_domain_account: str
    two_domain_people: int

    @property
    def accounts(self) -> int:
        # every seller and franchisee alone, the marketplace's HubSpot company, Acme merged,
        # the free-mail pair apart, the two-domain company
        return len(self.sellers) + 1 + len(self.franchisees) + 1 + 2 + 1

    @property
    def clusters_over_bound(self) -> int:
        return 1  # the franchise

    @property
    def email_domains_over_bound(self) -> int:
        return 1  # the marketplace's: sellers plus its HubSpot company

    @property
    def rule_findings(self) -> int:
        return self.clusters_over_bound + self.email_domains_over_bound


def _write(path: Path, rows: list[dict[str, str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    columns = list(dict.fromkeys(c for row in rows for c in row))
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)


def _salesforce(**fields: str) -> dict[str, str]:
    """A Salesforce row of ``fields``, created on CREATED and not deleted."""
    return {**fields, "created_date": CREATED, "is_deleted": "false"}


def _account(account_id: str, name: str, website: str) -> dict[str, str]:
    return _salesforce(id=account_id, name=name, website=website)


def _contact(contact_id: str, account_id: str, email: str) -> dict[str, str]:
    return _salesforce(id=contact_id, account_id=account_id, email=email, last_name=contact_id)


def _hubspot_contact(contact_id: str, email: str, company_id: str) -> dict[str, str]:
    return {
        "id": contact_id,
        "property_email": email,
        "property_createdate": CREATED,
        "property_associatedcompanyid": company_id,
        "_fivetran_deleted": "false",
    }


def write_company(landing: Path) -> Expected:
    """Write salesforce/*.csv and hubspot/*.csv under landing; return what to expect."""
    sellers = tuple(f"0S{n:03d}" for n in range(1, N_SELLERS + 1))
    franchisees = tuple(f"0F{n:03d}" for n in range(1, N_FRANCHISEES + 1))
    accounts = [_account(s, f"Seller {s}", "") for s in sellers]
    accounts += [
        _account(f, f"Franchisee {f}", f"https://www.{FRANCHISE_DOMAIN}/location-{f}")
        for f in franchisees
    ]
    accounts += [
        _account("0A001", "Acme", "https://www.acme.example/"),
        _account("0G001", "Gmail user", "gmail.com"),
        _account("0T001", "Two Domains", "two.example"),
    ]
    contacts = [_contact(f"0C{s}", s, f"seller.{s.lower()}@{MARKET_DOMAIN}") for s in sellers]
    contacts += [_contact(f"0C{f}", f, f"owner@{f.lower()}.example") for f in franchisees]
    contacts += [
        _contact("0CA1", "0A001", "ann@acme.example"),
        _contact("0CA2", "0A001", "bob@acme.example"),
        _contact("0CT1", "0T001", "tom@two.example"),
        _contact("0CT2", "0T001", "tia@two.io"),
    ]
    companies = [
        {"id": "9001", "property_name": "Market", "property_domain": MARKET_DOMAIN},
        {"id": "9002", "property_name": "Acme", "property_domain": "acme.example"},
        {"id": "9003", "property_name": "Gmail user", "property_domain": "gmail.com"},
    ]
    for company in companies:
        company["is_deleted"] = "false"
    hubspot_contacts = [
        _hubspot_contact(str(100 + n), f"seller.{s.lower()}@{MARKET_DOMAIN}", "9001")
        for n, s in enumerate(sellers)
    ]
    hubspot_contacts += [
        _hubspot_contact("900", f"buyer@{MARKET_DOMAIN}", ""),
        _hubspot_contact("901", "carol@acme.example", "9002"),
    ]
    opportunity = _salesforce(
        id="0O001",
        account_id="0A001",
        name="Acme deal",
        type="New Business",
        stage_name="Prospecting",
        amount="1000",
        currency_iso_code="USD",
        close_date="2024-06-30",
        is_closed="false",
        is_won="false",
    )
    deal = {
        "deal_id": "7001",
        "property_dealname": "Acme deal",
        "property_amount": "1000",
        "property_createdate": CREATED,
        "property_salesforceopportunityid": "0O001",
        "is_deleted": "false",
    }
    _write(landing / "salesforce" / "account.csv", accounts)
    _write(landing / "salesforce" / "contact.csv", contacts)
    _write(landing / "salesforce" / "opportunity.csv", [opportunity])
    _write(landing / "hubspot" / "company.csv", companies)
    _write(landing / "hubspot" / "contact.csv", hubspot_contacts)
    _write(landing / "hubspot" / "deal.csv", [deal])
    _write(landing / "hubspot" / "deal_company.csv", [{"deal_id": "7001", "company_id": "9002"}])
    return Expected(
        sellers=sellers,
        franchisees=franchisees,
        market_company="9001",
        acme_account="0A001",
        acme_company="9002",
        acme_people=3,
        free_mail_account="0G001",
        free_mail_company="9003",
        two_domain_account="0T001",
        two_domain_people=2,
    )
