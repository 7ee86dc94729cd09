"""Identifiers shaped like the real systems' ones (18-char Salesforce ids, numeric HubSpot ids)."""

from __future__ import annotations

import numpy as np

_B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_SUFFIX = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"

#: Salesforce key prefixes of the objects the simulator writes.
SF_PREFIX = {
    "lead": "00Q",
    "contact": "003",
    "account": "001",
    "opportunity": "006",
    "task": "00T",
    "user": "005",
    "opportunity_contact_role": "00k",
    "opportunity_field_history": "017",
    "opportunity_history": "008",
    "product_2": "01t",
    "opportunity_line_item": "00k",
    "currency_type": "02c",
    "dated_conversion_rate": "04w",
}
# opportunity_line_item really is 00k too in some orgs; keep them apart with a pod letter.
_POD = {"opportunity_line_item": "Ln", "opportunity_contact_role": "Cr"}


def _b62(n: int, width: int) -> str:
    out = []
    for _ in range(width):
        n, r = divmod(n, 62)
        out.append(_B62[r])
    return "".join(reversed(out))


def _checksum(id15: str) -> str:
    suffix = []
    for chunk in range(3):
        bits = 0
        for i, ch in enumerate(id15[chunk * 5 : chunk * 5 + 5]):
            if "A" <= ch <= "Z":
                bits |= 1 << i
        suffix.append(_SUFFIX[bits])
    return "".join(suffix)


def sf_id(kind: str, n: int) -> str:
    """The n-th id of a Salesforce object: prefix + pod + 10 base-62 chars + 3-char checksum."""
    pod = _POD.get(kind, "5g")
    # a multiplicative scramble keeps ids unique but not visibly sequential
    body = _b62((n * 2_654_435_761 + 97_531) % (62**10), 10)
    id15 = SF_PREFIX[kind] + pod + body
    return id15 + _checksum(id15)


def sf_ids(kind: str, start: int, count: int) -> np.ndarray:
    """``count`` consecutive ids (same values as :func:`sf_id`), vectorised."""
    if count == 0:
        return np.array([], dtype=object)
    n = np.arange(start, start + count, dtype=np.int64).astype(object)
    scrambled = np.array((n * 2_654_435_761 + 97_531) % (62**10), dtype=np.int64)
    alphabet = np.frombuffer(_B62.encode(), dtype=np.uint8)
    codes = np.empty((count, 18), dtype=np.uint8)
    codes[:, :3] = np.frombuffer(SF_PREFIX[kind].encode(), dtype=np.uint8)
    codes[:, 3:5] = np.frombuffer(_POD.get(kind, "5g").encode(), dtype=np.uint8)
    rest = scrambled.copy()
    for pos in range(14, 4, -1):
        codes[:, pos] = alphabet[rest % 62]
        rest //= 62
    upper = (codes[:, :15] >= ord("A")) & (codes[:, :15] <= ord("Z"))
    suffix = np.frombuffer(_SUFFIX.encode(), dtype=np.uint8)
    weights = 1 << np.arange(5)
    for chunk in range(3):
        bits = (upper[:, chunk * 5 : chunk * 5 + 5] * weights).sum(axis=1)
        codes[:, 15 + chunk] = suffix[bits]
    return codes.view("S18").ravel().astype(str).astype(object)


def hex_ids(rng: np.random.Generator, count: int, width: int = 32) -> np.ndarray:
    """Random lowercase hex identifiers (uuid-like when width is 32), vectorised."""
    if count == 0:
        return np.array([], dtype=object)
    digits = rng.integers(0, 16, size=(count, width), dtype=np.uint8)
    alphabet = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)
    return alphabet[digits].view(f"S{width}").ravel().astype(str).astype(object)


def uuid_like(rng: np.random.Generator, count: int) -> np.ndarray:
    raw = hex_ids(rng, count, 32)
    return np.array(
        [f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:32]}" for h in raw], dtype=object
    )
