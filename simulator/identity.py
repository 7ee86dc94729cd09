"""Who is who, as the warehouse resolves people (docs/identity_resolution.md, identity_people).

The simulator knows every record's person (``_pid``); the warehouse can only join records
that share a normalised email or are linked by the CRM itself (a converted lead and its
contact, the HubSpot integration's Salesforce lead / contact ids). The two agree unless a
record lost its email (``missing_fields``) and nothing links it: then the warehouse sees a
person of its own. This module groups the live records of the company as exported at as_of
the warehouse's way (connected components over those links), so the truth counts the people
the warehouse can know, and gives each one its original channel from the channel the plan
generated each value from (the hidden ``_channel`` of the snapshots), never from a lookup of
the written spelling.
"""

from __future__ import annotations

from collections.abc import Hashable

import numpy as np
import pandas as pd

from simulator.rules import live, norm

UNKNOWN = "unknown"


class _Components:
    """Union-find over hashable nodes."""

    def __init__(self) -> None:
        self.parent: dict[Hashable, Hashable] = {}

    def add(self, node: Hashable) -> None:
        self.parent.setdefault(node, node)

    def find(self, node: Hashable) -> Hashable:
        root = node
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[node] != root:  # path compression
            self.parent[node], node = root, self.parent[node]
        return root

    def union(self, a: Hashable, b: Hashable) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb, key=str)] = min(ra, rb, key=str)


class People:
    """The people of the live Salesforce leads and contacts and HubSpot contacts.

    Record keys: ("salesforce_contact", id), ("salesforce_lead", id), ("hubspot_contact", id).
    ``person(key)`` is the person of a live record (None for a record that is not live);
    ``by_email(e)`` the person of a normalised email some live record has (None otherwise).
    """

    def __init__(self, t: dict[str, pd.DataFrame]) -> None:
        self._uf = _Components()
        uf = self._uf
        contacts = live(t["salesforce/contact"])
        leads = live(t["salesforce/lead"])
        hs = live(t["hubspot/contact"], "_fivetran_deleted")
        #: (record type, frame, id column, email column, created column)
        self._records = (
            ("salesforce_contact", contacts, "id", "email", "created_date"),
            ("salesforce_lead", leads, "id", "email", "created_date"),
            ("hubspot_contact", hs, "id", "property_email", "property_createdate"),
        )
        self.known_emails: set[str] = set()
        for kind, frame, id_col, email_col, _ in self._records:
            emails = norm(frame[email_col])
            for rid, email in zip(frame[id_col].astype(str), emails, strict=True):
                uf.add((kind, rid))
                if email:  # a null email links nothing
                    uf.add(("email", email))
                    uf.union((kind, rid), ("email", email))
                    self.known_emails.add(email)
        # links the CRM itself keeps (edges to records that are not live are dropped)
        converted = leads[leads["is_converted"].to_numpy(dtype=bool)]
        self._link(
            converted["id"],
            "salesforce_lead",
            converted["converted_contact_id"],
            "salesforce_contact",
        )
        for column, kind in (
            ("property_salesforceleadid", "salesforce_lead"),
            ("property_salesforcecontactid", "salesforce_contact"),
        ):
            self._link(hs["id"], "hubspot_contact", hs[column], kind)
        self._channel = self._original_channels()

    def _link(self, ids: pd.Series, kind: str, targets: pd.Series, target_kind: str) -> None:
        uf = self._uf
        for rid, target in zip(ids.astype(str), targets.astype(str), strict=True):
            if target and (target_kind, target) in uf.parent:
                uf.union((kind, rid), (target_kind, target))

    def person(self, kind: str, record_id: object) -> Hashable | None:
        node = (kind, str(record_id))
        return self._uf.find(node) if node in self._uf.parent else None

    def by_email(self, email: str) -> Hashable | None:
        node = ("email", email)
        return self._uf.find(node) if node in self._uf.parent else None

    def channel(self, person: Hashable | None) -> str:
        """The person's original channel (dim_person.original_channel): the channel of the
        analytics source of their first HubSpot contact (earliest created, then id), else of
        the lead source of their first Salesforce contact, else of their first lead."""
        return UNKNOWN if person is None else self._channel.get(person, UNKNOWN)

    def _original_channels(self) -> dict[Hashable, str]:
        best: dict[str, dict[Hashable, tuple[int, str, str]]] = {}
        for kind, frame, id_col, _, created_col in self._records:
            first = best.setdefault(kind, {})
            created = np.asarray(frame[created_col].to_numpy(), dtype=np.int64)
            for rid, when, channel in zip(
                frame[id_col].astype(str), created, frame["_channel"], strict=True
            ):
                root = self._uf.find((kind, rid))
                candidate = (int(when), rid, str(channel))
                if root not in first or candidate < first[root]:
                    first[root] = candidate
        out: dict[Hashable, str] = {}
        for kind in ("salesforce_lead", "salesforce_contact", "hubspot_contact"):
            for root, (_, _, channel) in best[kind].items():
                out[root] = channel  # later kinds win: HubSpot, else contact, else lead
        return out
