"""Masking personal data in what the checks keep and show: offending rows, examples, metadata.

The rule views (quality.rule_<rule>) read the raw exports, so their rows can hold a person's
email. Nothing that leaves the runner keeps it raw: the offending-rows table, the check pages,
``revops check --rows`` and the Dagster event log get masked values, and Dagster metadata gets
no personal column at all (``keys_only``).

Two nets, so a new rule column is covered without a code change:

* by column name: a column holding an email (``email``, ``*_email``, ``email_address``) or a
  person's name (``first_name``, ``last_name``, ``full_name``, ``name``, ``*_person_name``...)
  or a phone number is personal;
* by value: any email-shaped text in any string cell (a finding's words, a GX example) is
  masked wherever it is.

An email keeps its first character and its domain (``jane.doe@acme.com`` -> ``j***@acme.com``):
enough to see which company a finding is about and to tell a missing email from a bad one,
not enough to write to the person. A name keeps its initial (``Jane Doe`` -> ``J***``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

MASK = "***"
# An email-shaped token: local part, @, a dotted domain. Loose on purpose (exports hold
# spaces, capitals, plus-addresses, quotes): masking a non-email costs nothing.
EMAIL = re.compile(r"[^\s@<>()\[\],;:\"|]+@[^\s@<>()\[\],;:\"|]+\.[^\s@<>()\[\],;:\"|]+")
EMAIL_COLUMNS = re.compile(r"(^|_)e_?mail(_address)?$|^e_?mail(_address)?(_|$)")
NAME_COLUMNS = re.compile(
    r"^(name|full_name|first_name|last_name|firstname|lastname|middle_name|"
    r"contact_name|person_name|lead_name)$|_(first|last|full|person|contact)_?name$"
)
PHONE_COLUMNS = re.compile(r"(^|_)(phone|mobile|mobile_phone)(_number)?$")
# Columns that say something about emails without holding one (a count, a flag, a domain).
NOT_PERSONAL = re.compile(r"^(is|has|records_with|n|count)_|_(count|domain|domains)$")


def personal_kind(column: str) -> str | None:
    """``email``, ``name``, ``phone`` for a column holding personal data, else None."""
    name = column.strip().lower()
    if NOT_PERSONAL.search(name):
        return None
    if EMAIL_COLUMNS.search(name):
        return "email"
    if NAME_COLUMNS.search(name):
        return "name"
    if PHONE_COLUMNS.search(name):
        return "phone"
    return None


def mask_email(value: str) -> str:
    """``jane.doe@acme.com`` -> ``j***@acme.com`` (surrounding spaces dropped, domain lowered)."""
    text = value.strip()
    local, _, domain = text.rpartition("@")
    if not local or not domain:
        return mask_text(text)
    return f"{local[0]}{MASK}@{domain.lower()}"


def mask_text(value: str) -> str:
    """A personal value that is not an email: its first visible character and ``***``."""
    text = value.strip()
    return f"{text[0]}{MASK}" if text else text


def scrub(value: str) -> str:
    """Text with every email-shaped token in it masked (the rest unchanged)."""
    return EMAIL.sub(lambda m: mask_email(m.group(0)), value)


def mask_value(column: str | None, value: Any) -> Any:
    """One cell made safe: personal columns masked, emails in any text masked."""
    if not isinstance(value, str):
        return value
    kind = personal_kind(column) if column else None
    if kind == "email":
        return mask_email(value) if "@" in value else mask_text(value)
    if kind in ("name", "phone"):
        return mask_text(value)
    return scrub(value)


def mask_row(row: Mapping[str, Any]) -> dict[str, Any]:
    """A row (column -> value) with every cell made safe; the keys and other values kept."""
    return {str(k): mask_value(str(k), v) for k, v in row.items()}


def keys_only(rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Rows without their personal columns (ids, types and findings stay), text scrubbed:
    what goes into Dagster metadata and its event log."""
    return [
        {str(k): mask_value(str(k), v) for k, v in row.items() if not personal_kind(str(k))}
        for row in rows
    ]
