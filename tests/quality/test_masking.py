"""Masking of personal data in what the checks keep and show (no warehouse needed)."""

from __future__ import annotations

import pytest

from orchestration.quality.masking import keys_only, mask_email, mask_row, personal_kind, scrub


@pytest.mark.parametrize(
    ("column", "kind"),
    [
        ("email", "email"),
        ("property_email", "email"),
        ("Email_Address", "email"),
        ("first_name", "name"),
        ("full_name", "name"),
        ("contact_last_name", "name"),
        ("mobile_phone", "phone"),
        ("records_with_email", None),
        ("email_domain", None),
        ("has_email", None),
        ("stage_name", None),
        ("table_name", None),
        ("record_id", None),
    ],
)
def test_personal_columns_are_known_by_name(column: str, kind: str | None) -> None:
    assert personal_kind(column) == kind


def test_an_email_keeps_its_first_letter_and_domain() -> None:
    assert mask_email(" Jane.Doe@ACME.com ") == "J***@acme.com"
    assert mask_email("no-at-sign") == "n***"


def test_emails_inside_any_text_are_masked() -> None:
    text = "duplicate of jane.doe@acme.com and <bo+x@mail.example.org>; see row 7"
    assert scrub(text) == "duplicate of j***@acme.com and <b***@mail.example.org>; see row 7"
    assert scrub("no email here, 3 @ 4") == "no email here, 3 @ 4"


def test_a_row_keeps_keys_and_masks_people() -> None:
    row = {
        "record_id": "003X",
        "email": "ann@acme.example",
        "first_name": "Ann",
        "records_with_email": 2,
        "finding": "same as Ann@Acme.example",
        "amount": None,
    }
    assert mask_row(row) == {
        "record_id": "003X",
        "email": "a***@acme.example",
        "first_name": "A***",
        "records_with_email": 2,
        "finding": "same as A***@acme.example",
        "amount": None,
    }
    # for Dagster metadata: the personal columns are dropped, not masked
    assert keys_only([row]) == [
        {
            "record_id": "003X",
            "records_with_email": 2,
            "finding": "same as A***@acme.example",
            "amount": None,
        }
    ]
