"""CSV output: formatting typed frames, and the month-by-month high-volume tables."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from simulator import reference as ref
from simulator.ads_web import ad_stats_chunk, month_starts, sessions_chunk
from simulator.clock import calendar_years, iso, iso_date
from simulator.config import DAY, NEVER
from simulator.engagement import Audience, email_chunk
from simulator.fx import Money
from simulator.rules import ChunkStats, norm
from simulator.schema import ALL_TABLES, SYNCED, TABLES
from simulator.world import World

#: The open end of a history row (9999-12-31T23:59:59Z): never shifted.
OPEN_END = 253_402_300_799


def _shifted(v: np.ndarray, by: int, sentinel: int) -> np.ndarray:
    """Values moved by ``by``, except NEVER (null) and values >= ``sentinel``."""
    return np.where((v < NEVER) & (v < sentinel), v + by, v)


def _fmt(values: np.ndarray, kind: str, offset: int = 0) -> np.ndarray:
    """Typed values -> strings; ``offset`` (seconds, whole days) moves timestamps and dates."""
    v = np.asarray(values)
    if offset and kind == "ts":
        return iso(_shifted(v.astype(np.int64), offset, OPEN_END))
    if offset and kind == "date":
        return iso_date(_shifted(v.astype(np.int64), offset // DAY, NEVER))
    if kind == "str":
        out = v.astype(object)
        missing = pd.isna(out)
        if missing.any():
            out = out.copy()
            out[missing] = ""
        return out
    if kind == "ts":
        return iso(v.astype(np.int64))
    if kind == "date":
        return iso_date(v.astype(np.int64))
    if kind == "bool":
        return np.where(v.astype(bool), "true", "false").astype(object)
    if kind == "money":
        return np.char.mod("%.2f", v.astype(np.float64)).astype(object)
    if kind == "num":
        return np.char.mod("%.10g", v.astype(np.float64)).astype(object)
    if kind == "int":
        iv = v.astype(np.int64)
        out = iv.astype(str).astype(object)
        out[(iv < 0) | (iv >= NEVER)] = ""
        return out
    raise ValueError(f"unknown column kind {kind!r}")


def format_table(
    table: str, frame: pd.DataFrame, extra: tuple[str, ...] = (), offset: int = 0
) -> dict[str, np.ndarray]:
    """Typed frame -> string columns: the contract columns, extras, then _fivetran_synced.

    ``offset`` (seconds, whole weeks) moves every timestamp and date (start_year)."""
    cols = {name: _fmt(frame[name].to_numpy(), kind, offset) for name, kind in ALL_TABLES[table]}
    for name in extra:
        cols[name] = _fmt(frame[name].to_numpy(), "str")
    cols[SYNCED] = _fmt(frame[SYNCED].to_numpy(), "ts", offset)
    return cols


def table_path(out_dir: Path, table: str) -> Path:
    system, name = table.split("/")
    return out_dir / system / f"{name}.csv"


_SPECIAL = (",", '"', "\n", "\r")


def _quoted(values: np.ndarray) -> list[str]:
    """RFC-4180 quoting, only for the values that need it."""
    items = values.tolist()
    blob = "\x00".join(items)
    if not any(ch in blob for ch in _SPECIAL):
        return items
    return [
        '"' + v.replace('"', '""') + '"' if any(ch in v for ch in _SPECIAL) else v for v in items
    ]


def write_frame(path: Path, cols: dict[str, np.ndarray], append: bool) -> None:
    """Write (or append) string columns as CSV lines; the header only when not appending."""
    path.parent.mkdir(parents=True, exist_ok=True)
    columns = [_quoted(np.asarray(v, dtype=object)) for v in cols.values()]
    with path.open("a" if append else "w", encoding="utf-8", newline="") as fh:
        if not append:
            fh.write(",".join(_quoted(np.array(list(cols), dtype=object))) + "\n")
        if columns and columns[0]:
            fh.write("\n".join(map(",".join, zip(*columns, strict=True))) + "\n")


ROWS_PER_WRITE = 50_000


def write_table(
    path: Path,
    table: str,
    frame: pd.DataFrame,
    extra: tuple[str, ...] = (),
    append: bool = False,
    offset: int = 0,
) -> None:
    """Format and write a typed frame in slices (bounded memory for big tables)."""
    if not len(frame):
        write_frame(path, format_table(table, frame, extra, offset), append)
        return
    for start in range(0, len(frame), ROWS_PER_WRITE):
        part = frame.iloc[start : start + ROWS_PER_WRITE]
        write_frame(path, format_table(table, part, extra, offset), append or start > 0)


class ChunkWriter:
    """Writes the month-chunked tables and accumulates what the rules and the truth need."""

    def __init__(
        self,
        world: World,
        out_dir: Path,
        lo: int,
        T: int,
        hs_live_emails: set[str],
        progress: Callable[[str], None],
        present: Iterable[str] = tuple(TABLES),
        money: Money | None = None,
    ) -> None:
        self.w = world
        self.out_dir = out_dir
        self.lo = lo
        self.T = T
        self.hs_live = hs_live_emails
        self.progress = progress
        #: Absent tables are neither made nor written: their stats stay those of empty tables.
        self.present = set(present)
        self.stats = ChunkStats()
        self.written: dict[str, int] = {}
        #: The conversion rule as exported (ad spend in the ad accounts' currencies).
        self.money = money
        #: Columns written beyond the contract's, per table (the ad accounts' currency_code).
        self.extra: dict[str, tuple[str, ...]] = {}
        codes = world.cfg.profile.ad_currencies
        if codes:
            self.extra["ads/ad_stats"] = ("currency_code",)
            account = pd.factorize(world.ads["account_id"])[0]
            self.ad_currency = np.array(codes, dtype=object)[account % len(codes)]

    def _emit(self, table: str, typed: pd.DataFrame) -> None:
        s = typed[SYNCED].to_numpy()
        cum = typed[s < self.T]
        self.stats.rows[table] = self.stats.rows.get(table, 0) + len(cum)
        if len(cum):
            self.stats.max_synced[table] = max(
                self.stats.max_synced.get(table, 0), int(cum[SYNCED].max())
            )
        out = cum[cum[SYNCED].to_numpy() >= self.lo]
        if len(out):
            append = self.written.get(table, 0) > 0
            write_table(
                table_path(self.out_dir, table),
                table,
                out,
                self.extra.get(table, ()),
                append=append,
                offset=self.w.cfg.profile.offset,
            )
            self.written[table] = self.written.get(table, 0) + len(out)

    def run(self) -> None:
        w = self.w
        months = month_starts()
        hs = w.hs
        end = np.minimum(np.minimum(hs["del_s"].to_numpy(), hs["merge_s"].to_numpy()), NEVER)
        audience = Audience(
            email=hs["email"].to_numpy().astype(object),
            start=hs["create_s"].to_numpy(),
            end=end,
            unsub=w.unsub,
            create_t=hs["create_t"].to_numpy(),
        )
        hs_email_of_pid = {int(p): str(e) for p, e in zip(hs["pid"], hs["email"], strict=True)}
        for p, e in zip(hs[~hs["is_dup"]]["pid"], hs[~hs["is_dup"]]["email"], strict=True):
            hs_email_of_pid[int(p)] = str(e)
        platforms = np.array([p[0] for p in ref.AD_PLATFORMS], dtype=object)
        order = np.searchsorted(w.sessions.t, np.array(months, dtype=np.int64))
        for k in range(len(months) - 1):
            lo, hi = months[k], months[k + 1]
            self.progress(f"events {np.datetime64(lo, 's').astype('datetime64[M]')}")
            if "hubspot/email_event" in self.present:
                self._email_events(audience, lo, hi, k)
            if "web/sessions" in self.present:
                self._sessions(order, k, hs_email_of_pid)
            if "ads/ad_stats" in self.present:
                self._ad_stats(platforms, lo, hi, k)

    def _email_events(self, audience: Audience, lo: int, hi: int, k: int) -> None:
        w = self.w
        ev = email_chunk(w.cfg, w.campaigns, audience, lo, hi, k, w.unknown_sends)
        ev = ev[ev["s"].to_numpy() < w.stale_stop.get("hubspot/email_event", NEVER)]
        typed = pd.DataFrame(
            {
                "id": ev["id"].to_numpy(),
                "email_campaign_id": ev["campaign_id"].to_numpy(),
                "recipient": ev["recipient"].to_numpy(),
                "type": ev["type"].to_numpy(),
                "created": ev["t"].to_numpy(),
                SYNCED: ev["s"].to_numpy(),
            }
        )
        vis = typed[typed[SYNCED].to_numpy() < self.T]
        known = np.array([x in self.hs_live for x in norm(vis["recipient"])], dtype=bool)
        self.stats.orphan_events += int((~known).sum())
        clicks = vis[vis["type"].to_numpy() == "CLICK"]
        self.stats.click_touches.append(
            (clicks["recipient"].to_numpy(), clicks["created"].to_numpy(dtype=np.int64))
        )
        self._emit("hubspot/email_event", typed)

    def _sessions(self, order: np.ndarray, k: int, hs_email_of_pid: dict[int, str]) -> None:
        w = self.w
        se = sessions_chunk(
            w.cfg,
            w.sessions,
            int(order[k]),
            int(order[k + 1]),
            k,
            w.people,
            hs_email_of_pid,
            w.ads,
        )
        se = se[se["s"].to_numpy() < w.stale_stop.get("web/sessions", NEVER)]
        if w.cfg.profile.offset:  # event campaigns are named after their (calendar) year
            camp = se["utm_campaign"].to_numpy()
            event = np.flatnonzero(camp == "saastr-2025")
            if len(event):
                years = calendar_years(se["t"].to_numpy()[event] + w.cfg.profile.offset)
                camp = camp.copy()
                camp[event] = ["saastr-" + y for y in years]
                se = se.assign(utm_campaign=camp)
        typed = se.rename(columns={"t": "started_at", "s": SYNCED})
        vis = typed[typed[SYNCED].to_numpy() < self.T]
        self.stats.utm_source |= set(vis["utm_source"]) - {""}
        self.stats.utm_medium |= set(vis["utm_medium"]) - {""}
        self.stats.sessions_without_id += int((vis["session_id"] == "").sum())
        # sessions of the plan's people, keyed (a row without key is quarantined, no touch)
        mine = vis[(vis["person"].to_numpy() >= 0) & (vis["session_id"].to_numpy() != "")]
        self.stats.session_touches.append(
            (
                mine["person"].to_numpy(dtype=np.int64),
                mine["email"].to_numpy(),
                mine["started_at"].to_numpy(dtype=np.int64),
            )
        )
        self._emit("web/sessions", typed)

    def _ad_stats(self, platforms: np.ndarray, lo: int, hi: int, k: int) -> None:
        w = self.w
        ads = w.ads
        st = ad_stats_chunk(w.cfg, ads, lo, hi, k, w.stale_stop.get("ads/ad_stats", NEVER))
        a = st["ad"].to_numpy()
        typed = pd.DataFrame(
            {
                "date_day": st["day"].to_numpy(),
                "platform": platforms[ads["platform"].to_numpy()[a]],
                "account_id": ads["account_id"].to_numpy()[a],
                "campaign_id": ads["campaign_id"].to_numpy()[a],
                "campaign_name": ads["campaign_name"].to_numpy()[a],
                "ad_group_id": ads["ad_group_id"].to_numpy()[a],
                "ad_id": ads["ad_id"].to_numpy()[a],
                "clicks": st["clicks"].to_numpy(),
                "impressions": st["impressions"].to_numpy(),
                "spend": st["spend"].to_numpy(),
                "conversions": st["conversions"].to_numpy(),
                SYNCED: st["s"].to_numpy(),
            }
        )
        # USD spend per row as the truth counts it: the written amount converted back
        typed["spend_usd"] = typed["spend"]
        if self.w.cfg.profile.ad_currencies:
            typed["currency_code"] = self.ad_currency[a]
            self._in_account_currency(typed, st["day"].to_numpy())
        vis = typed[typed[SYNCED].to_numpy() < self.T]
        for plat, spend in vis.groupby("platform")["spend_usd"].sum().items():
            self.stats.spend_by_platform[str(plat)] = self.stats.spend_by_platform.get(
                str(plat), 0.0
            ) + float(spend)
        self._emit("ads/ad_stats", typed)

    def _in_account_currency(self, typed: pd.DataFrame, day: np.ndarray) -> None:
        """Spend (planned in USD) rewritten in each row's currency_code, in cents, at the rate
        of its day by the warehouse's rule (docs money_conversion); spend_usd = the written
        amount converted back, what the warehouse must show."""
        money = self.money
        if money is None:
            raise ValueError("ad_currencies needs the exported conversion rule (money)")
        codes = typed["currency_code"].to_numpy()
        usd = typed["spend"].to_numpy(dtype=np.float64)
        rate = np.ones(len(typed))
        keys = pd.MultiIndex.from_arrays([codes, day])
        for code, d in keys.unique():
            factor = money.usd_per_unit(str(code), int(d))
            if factor is None:
                raise ValueError(f"ad_currencies: {code} has no exchange rate on plan day {d}")
            rate[(codes == code) & (day == d)] = factor
        spend = np.round(usd / rate, 2)
        typed["spend"] = spend
        typed["spend_usd"] = spend * rate
