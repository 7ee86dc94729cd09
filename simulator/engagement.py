"""Email events, generated one month at a time from the campaign schedule."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from simulator.clock import sync
from simulator.config import DAY, HORIZON_END, HOUR, NEVER, SimConfig
from simulator.ids import hex_ids
from simulator.rng import stream


@dataclass
class Audience:
    """HubSpot contacts as mail recipients: address and the window they can receive mail."""

    email: np.ndarray
    start: np.ndarray  # visible from (create sync)
    end: np.ndarray  # unsubscribed, deleted or merged away
    unsub: np.ndarray
    create_t: np.ndarray


def email_chunk(
    cfg: SimConfig,
    campaigns: pd.DataFrame,
    audience: Audience,
    lo: int,
    hi: int,
    month: int,
    unknown: pd.DataFrame,
) -> pd.DataFrame:
    """Events of the sends whose send time falls in [lo, hi)."""
    rng = stream(cfg.seed, "email", month)
    n_aud = len(audience.email)
    camp_parts, rcpt_parts, send_parts = [], [], []
    batch = campaigns[
        (campaigns["type"] == "BATCH") & (campaigns["send_t"] >= lo) & (campaigns["send_t"] < hi)
    ]
    for cid, send_t in zip(batch["campaign_id"], batch["send_t"], strict=True):
        ok = (audience.start < send_t) & (send_t < audience.end) & (send_t < audience.unsub)
        chosen = np.flatnonzero(ok & (rng.random(n_aud) < cfg.email_sends_per_campaign_share))
        camp_parts.append(np.full(len(chosen), cid, dtype=np.int64))
        rcpt_parts.append(chosen)
        send_parts.append(send_t + rng.integers(0, 1800, len(chosen)))
    # automated nurture: a few contacts every day (at least one)
    welcome, nurture = campaigns["campaign_id"].iloc[0], campaigns["campaign_id"].iloc[1]
    for day in range(lo // DAY, hi // DAY):
        t0 = day * DAY + 9 * HOUR
        ok = np.flatnonzero((audience.start < t0) & (t0 < audience.end) & (t0 < audience.unsub))
        if len(ok) == 0:
            continue
        k = max(1, int(rng.binomial(len(ok), cfg.daily_nurture_share)))
        chosen = rng.choice(ok, size=min(k, len(ok)), replace=False)
        chosen.sort()
        fresh = audience.create_t[chosen] > t0 - 30 * DAY
        camp_parts.append(np.where(fresh, welcome, nurture).astype(np.int64))
        rcpt_parts.append(chosen)
        send_parts.append(t0 + rng.integers(0, 8 * HOUR, len(chosen)))
    camp = np.concatenate(camp_parts) if camp_parts else np.array([], dtype=np.int64)
    rcpt = np.concatenate(rcpt_parts) if rcpt_parts else np.array([], dtype=np.int64)
    send = np.concatenate(send_parts) if send_parts else np.array([], dtype=np.int64)
    address = audience.email[rcpt].astype(object)
    unsub = audience.unsub[rcpt]
    # sends to addresses no contact has (injected)
    extra = unknown[(unknown["t"] >= lo) & (unknown["t"] < hi)]
    if len(extra):
        camp = np.concatenate([camp, extra["campaign_id"].to_numpy()])
        address = np.concatenate([address, extra["address"].to_numpy().astype(object)])
        send = np.concatenate([send, extra["t"].to_numpy()])
        unsub = np.concatenate([unsub, np.full(len(extra), NEVER)])
    m = len(send)
    delivered = rng.random(m) < 0.97
    opened = delivered & (rng.random(m) < 0.25)
    clicked = opened & (rng.random(m) < 0.15)
    t_deliv = send + rng.integers(1, 60, m)
    t_open = t_deliv + np.maximum(60, rng.exponential(8 * HOUR, m)).astype(np.int64)
    t_click = t_open + rng.integers(5, 600, m)
    unsubscribed = (unsub > send) & (unsub <= send + 48 * HOUR)
    parts = [
        (np.ones(m, bool), send, "SENT"),
        (delivered, t_deliv, "DELIVERED"),
        (~delivered, t_deliv, "BOUNCE"),
        (opened, t_open, "OPEN"),
        (clicked, t_click, "CLICK"),
        (unsubscribed, unsub, "UNSUBSCRIBE"),
    ]
    idx = np.concatenate([np.flatnonzero(mask) for mask, _, _ in parts])
    times = np.concatenate([t[mask] for mask, t, _ in parts])
    types = np.concatenate([np.full(int(mask.sum()), k, dtype=object) for mask, _, k in parts])
    frame = pd.DataFrame(
        {"campaign_id": camp[idx], "recipient": address[idx], "type": types, "t": times}
    )
    frame = frame[frame["t"] < HORIZON_END]
    frame = frame.sort_values(["t", "campaign_id", "recipient"], kind="stable").reset_index(
        drop=True
    )
    frame["id"] = hex_ids(rng, len(frame), 24)
    frame["s"] = sync(frame["t"].to_numpy())
    return frame
