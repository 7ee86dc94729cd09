"""The touches multi-touch attribution gives each won opportunity (docs/attribution.md;
simulator/README.md, *Channels and attribution*): ``ground_truth.json["attribution_touches"]``.

Follows the definition of docs/attribution.md (attribution_models, opportunity_people) in the
full_funnel scope (macros/attribution_settings.sql: web_session, ad_click,
form_submission, email_click, sales_activity) and lookback (90 days). Who a touch belongs to
comes from the plan (the session's person, the recipient, the submitting HubSpot contact,
the task's lead or contact), resolved to the person the warehouse can know
(simulator/identity.py).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

import numpy as np
import pandas as pd

from simulator import reference as ref
from simulator.clock import iso
from simulator.config import DAY, NEVER
from simulator.fx import Money
from simulator.identity import People
from simulator.rules import ChunkStats, live, norm

#: var attribution_lookback_days (default).
LOOKBACK_DAYS = 90
NO_CONTACT_ROLE = (
    "no contact role with a live contact: the warehouse then takes every person with a touch "
    "in the opportunity's resolved account (int_account_identities), which the simulator does "
    "not reproduce"
)


def _owners(keys: np.ndarray, owner_of: Callable[[object], Hashable | None]) -> list:
    """The owner of each key, looked up once per distinct key."""
    distinct, inverse = np.unique(np.asarray(keys, dtype=object).astype(str), return_inverse=True)
    owners = [owner_of(k) for k in distinct.tolist()]
    return [owners[i] for i in inverse.tolist()]


def person_touches(
    t: dict[str, pd.DataFrame], stats: ChunkStats, people: People
) -> dict[Hashable, np.ndarray]:
    """Per person, the sorted times of their touches in the full_funnel scope
    (int_touchpoints_unioned; a touch of nobody is dropped)."""
    owner_parts: list[list] = []
    time_parts: list[np.ndarray] = []
    # web sessions: the person of the visitor (its anonymous id, identified by the email of
    # its latest identified session when a live record has that email), else of the email
    # of the session itself; a person's identified sessions all carry the same email, and
    # without a visitor no session of theirs has an email a live record has
    if stats.session_touches:
        pid = np.concatenate([x[0] for x in stats.session_touches])
        email = norm(np.concatenate([x[1] for x in stats.session_touches]))
        started = np.concatenate([x[2] for x in stats.session_touches])
        identified = pd.DataFrame({"pid": pid, "email": email})
        identified = identified[identified["email"] != ""].drop_duplicates()
        if identified["pid"].duplicated().any():
            raise AssertionError("a visitor with several emails")
        visitor = dict(zip(identified["pid"], identified["email"], strict=True))
        owner_parts.append(_owners(pid, lambda p: people.by_email(visitor.get(int(p), ""))))
        time_parts.append(started)
    # email CLICK events: the person of the recipient's email
    if stats.click_touches:
        recipient = norm(np.concatenate([x[0] for x in stats.click_touches]))
        owner_parts.append(_owners(recipient, lambda e: people.by_email(str(e))))
        time_parts.append(np.concatenate([x[1] for x in stats.click_touches]))
    # HubSpot form submissions: the person of the (live) HubSpot contact
    forms = t["hubspot/contact_form_submission"]
    owner_parts.append(
        _owners(forms["contact_id"].to_numpy(), lambda c: people.person("hubspot_contact", c))
    )
    time_parts.append(forms["timestamp"].to_numpy(dtype=np.int64))
    # Salesforce tasks on a live lead or contact, at created_date (activity_date when null)
    tasks = live(t["salesforce/task"])
    owner_parts.append(
        _owners(
            tasks["who_id"].to_numpy(),
            lambda w: people.person("salesforce_contact", w) or people.person("salesforce_lead", w),
        )
    )
    created = tasks["created_date"].to_numpy(dtype=np.int64)
    activity = tasks["activity_date"].to_numpy(dtype=np.int64) * DAY
    time_parts.append(np.where(created < NEVER, created, activity))
    owners = [o for part in owner_parts for o in part]
    when = np.concatenate(time_parts) if time_parts else np.array([], dtype=np.int64)
    index: dict[Hashable, int] = {}
    code = np.array(
        [-1 if o is None else index.setdefault(o, len(index)) for o in owners], dtype=np.int64
    )
    keep = code >= 0
    code, when = code[keep], when[keep]
    order = np.lexsort((when, code))
    code, when = code[order], when[order]
    starts = np.searchsorted(code, np.arange(len(index) + 1))
    return {o: when[starts[i] : starts[i + 1]] for o, i in index.items()}


def _won_moments(t: dict[str, pd.DataFrame]) -> dict[str, int]:
    """Per opportunity, its first stage-history change into a won stage."""
    hist = t["salesforce/opportunity_field_history"]
    hist = hist[hist["field"] == "StageName"]
    won_stages = {s for s, stage in ref.OPPORTUNITY_STAGE_STAGE.items() if stage == "won"}
    won = hist[hist["new_value"].isin(won_stages)]
    return won.groupby("opportunity_id")["created_date"].min().astype(np.int64).to_dict()


def window(created: int, close_day: int, won_change: int | None) -> tuple[int, int]:
    """The first and last whole second of an opportunity's attribution window (inclusive):
    [created - 90 days, won_at] with won_at = its first change into a won stage, else (no
    stage history) the end of its close day, 23:59:59.999999 UTC (the last whole second of
    the day), never before created (int_opportunities_enriched.won_at)."""
    if won_change is not None:
        last = int(won_change)
    else:
        end = (close_day + 1) * DAY  # the next day starts
        last = created if created >= end else end - 1
    return created - LOOKBACK_DAYS * DAY, last


def attribution_touches(
    t: dict[str, pd.DataFrame],
    stats: ChunkStats,
    money: Money,
    people: People,
    offset: int = 0,
) -> tuple[dict[str, dict[str, object]], dict[str, str]]:
    """{opportunity id: {"touches", "first_at", "last_at"}} for each live won opportunity with
    a USD amount, and the ones whose touches the simulator cannot determine (id -> reason).

    The window of an opportunity is [created - 90 days, the moment it was won], both ends
    included: created = created_date, else (missing) its first stage change, else the start
    of its close day; won = its first stage-history change into Closed Won, else (no stage
    history) the end of its close day (23:59:59.999999 UTC), never before created. Its people
    are those of its contact roles."""
    touches = person_touches(t, stats, people)
    opps = live(t["salesforce/opportunity"])
    won = opps[opps["is_won"].to_numpy(dtype=bool)]
    hist = t["salesforce/opportunity_field_history"]
    hist = hist[hist["field"] == "StageName"]
    first_change = hist.groupby("opportunity_id")["created_date"].min().to_dict()
    won_at = _won_moments(t)
    roles = live(t["salesforce/opportunity_contact_role"])
    people_of: dict[str, set[Hashable]] = {}
    for opp, contact in zip(roles["opportunity_id"], roles["contact_id"], strict=True):
        person = people.person("salesforce_contact", contact)
        if person is not None:
            people_of.setdefault(opp, set()).add(person)
    out: dict[str, dict[str, object]] = {}
    excluded: dict[str, str] = {}
    for oid, created, close_day, amount, cur in zip(
        won["id"],
        won["created_date"],
        won["close_date"],
        won["amount"],
        won["currency_iso_code"],
        strict=True,
    ):
        usd, _ = money.to_usd(float(amount), cur, int(close_day))
        if usd is None:
            continue  # no USD amount: out of scope
        if oid not in people_of:
            excluded[oid] = NO_CONTACT_ROLE
            continue
        created = int(created)
        if created >= NEVER:  # missing: the earliest date known of it
            created = int(first_change.get(oid, int(close_day) * DAY))
        first, last = window(created, int(close_day), won_at.get(oid))
        hits = [
            times[np.searchsorted(times, first, "left") : np.searchsorted(times, last, "right")]
            for person in people_of[oid]
            if (times := touches.get(person)) is not None
        ]
        inside = np.concatenate(hits) if hits else np.array([], dtype=np.int64)
        out[oid] = {
            "touches": len(inside),
            "first_at": str(iso(np.array([inside.min() + offset]))[0]) if len(inside) else None,
            "last_at": str(iso(np.array([inside.max() + offset]))[0]) if len(inside) else None,
        }
    return out, excluded
