"""generate(): plan the world, cut the tables at as_of (or a batch day), write CSVs and truth."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from simulator import snapshot
from simulator.attribution import attribution_touches
from simulator.causal import incremental_truth
from simulator.channel_effects import ChannelEffects
from simulator.config import AS_OF, DAY, SimConfig, validate_args
from simulator.fx import Money, load_rates
from simulator.identity import People
from simulator.profile import build_profile
from simulator.rules import count_all, hs_emails
from simulator.schema import ALL_TABLES, NEW_COLUMN, PRIMARY_KEYS, TABLES
from simulator.truth import (
    by_channel,
    facts,
    future_dated,
    header,
    missing_fields_count,
    shared_domain,
)
from simulator.world import build_world
from simulator.writer import ChunkWriter, table_path, write_frame, write_table

CHUNKED = ("hubspot/email_event", "web/sessions", "ads/ad_stats")
#: Columns the rules and the truth read (besides primary keys and _-prefixed columns).
RULE_COLUMNS: dict[str, tuple[str, ...]] = {
    "salesforce/lead": (
        "email",
        "lead_source",
        "is_deleted",
        "is_converted",
        "status",
        "converted_date",
        "created_date",
        "owner_id",
        "converted_contact_id",
        "converted_opportunity_id",
    ),
    "salesforce/contact": (
        "email",
        "lead_source",
        "is_deleted",
        "account_id",
        "owner_id",
        "created_date",
    ),
    "salesforce/account": ("is_deleted", "owner_id", "website"),
    "salesforce/opportunity": (
        "account_id",
        "is_won",
        "is_closed",
        "is_deleted",
        "type",
        "currency_iso_code",
        "close_date",
        "amount",
        "owner_id",
        "created_date",
        "stage_name",
        "lead_source",
    ),
    "salesforce/opportunity_field_history": (
        "opportunity_id",
        "field",
        "created_date",
        "new_value",
    ),
    "salesforce/task": ("what_id", "who_id", "created_date", "activity_date", "is_deleted"),
    "salesforce/user": ("is_active", "email"),
    "salesforce/opportunity_contact_role": (
        "opportunity_id",
        "contact_id",
        "is_primary",
        "is_deleted",
    ),
    "hubspot/contact": (
        "property_email",
        "property_createdate",
        "property_lifecyclestage",
        "property_hs_lifecyclestage_lead_date",
        "property_hs_lifecyclestage_marketingqualifiedlead_date",
        "property_hs_lifecyclestage_salesqualifiedlead_date",
        "property_hs_lifecyclestage_opportunity_date",
        "property_hs_lifecyclestage_customer_date",
        "property_hs_analytics_source",
        "property_salesforceleadid",
        "property_salesforcecontactid",
    ),
    "hubspot/company": ("is_deleted",),
    "hubspot/deal": (
        "property_salesforceopportunityid",
        "property_amount",
        "deal_pipeline_stage_id",
        "property_closedate",
        "owner_id",
        "is_deleted",
    ),
    "hubspot/deal_pipeline_stage": ("is_closed", "probability"),
    "hubspot/owner": ("email",),
    "hubspot/contact_form_submission": ("contact_id", "timestamp"),
    "salesforce/currency_type": ("iso_code", "conversion_rate"),
    "salesforce/dated_conversion_rate": (
        "iso_code",
        "start_date",
        "next_start_date",
        "conversion_rate",
    ),
}


def _noop(_: str) -> None:
    return None


def generate(
    out_dir: Path,
    scale: float = 1.0,
    seed: int = 42,
    batch: int | None = None,
    inconsistency_rate: float = 1.0,
    progress: Callable[[str], None] | None = None,
    *,
    profile: str | None = None,
    systems: str | Iterable[str] | None = None,
    omit_tables: str | Iterable[str] | None = None,
    start_year: int = 2025,
    future_dates: int = 0,
    stage_history: bool = True,
    salesforce_stage_history: str = "field_history",
    missing_fields: float = 0.0,
    shared_domain_accounts: int = 0,
    currencies: str | Iterable[str] | None = None,
    unconvertible_currency: str | None = None,
    channel_spellings: str = "canonical",
    channel_effects: str | ChannelEffects | None = None,
    ad_currencies: str | Iterable[str] | None = None,
) -> dict:
    """Write a simulated company's raw tables into ``out_dir`` and return its ground truth.

    batch=None writes the base load as of 2026-01-01T00:00:00Z (moved by start_year); batch=K
    writes only the rows new or changed during day K after as_of, and a truth describing the
    cumulative state.

    The keyword-only options give the company a real-world shape (simulator/README.md,
    *Profiles*); their defaults write the default demo:

    profile: a named shape - which systems and tables the company exports: "everything"
        (default), "crm-only" (Salesforce account, opportunity, user), "crm-leads" (Salesforce
        without contacts and contact roles), "marketing-only" (HubSpot), "ads-only",
        "web-ads", "marketing-crm" (Salesforce and HubSpot).
    systems: the source systems the company has (subset of salesforce, hubspot, ads, web; a
        list or a comma-separated string); restricts the profile's tables.
    omit_tables: "system/table" names not exported. An absent table has no file at all; the
        truth treats it as an empty table (zero rows, same columns).
    start_year: long history - the year the period starts in (2000..2025, default 2025).
        The whole company (every timestamp and date written, as_of, the period, batch days)
        moves back by whole weeks so the period starts in the first 7 days of that year;
        weekdays are kept, names that carry a year follow. 2012 gives data from 2010/2011
        into 2013. Money before the seed's first rate uses its earliest rate (extrapolated).
    future_dates: data reaching past as_of - N open opportunities expected to close 2 to 5
        years after as_of and N live HubSpot contacts whose create date lies after as_of
        (at most as many as exist); ground_truth.json["future_dated"] counts them.
    stage_history: False - the company exports no stage history
        (salesforce/opportunity_field_history and hubspot/deal_stage are not written; facts
        are unchanged, pipeline_hygiene sees no stage changes).
    salesforce_stage_history: "field_history" (default: the StageName rows of
        salesforce/opportunity_field_history) or "opportunity_history": Salesforce's own
        OpportunityHistory instead (salesforce/opportunity_history, a row on creation in the
        starting stage and one on every stage change, same moments); the facts and the truth
        do not move.
    missing_fields: rows missing business fields - a share (0..0.5; at least one row each
        when > 0) of the live opportunities written without created_date and of the live
        leads, Salesforce contacts and HubSpot contacts written without email;
        ground_truth.json["missing_fields"] counts them. Rules read the empty fields as SQL
        nulls (docs/quality_rules.md).
    shared_domain_accounts: a marketplace - N more Salesforce accounts (sellers, each with a
        distinct name, half without website) whose 1-2 contacts all have emails on one
        shared domain (sellers.<marketplace>.com, also their HubSpot contacts); about a
        quarter won a New Business deal in the period. ground_truth.json["shared_domain"]
        gives the domain, the seller accounts and customers written.
    currencies: Salesforce multi-currency (a list or "BRL,EUR"): about a third of the
        non-renewal opportunities (one won New Business per currency at least) are booked in
        these currencies at the USD value of their plan, and the company exports
        salesforce/currency_type and salesforce/dated_conversion_rate (monthly rates over the
        whole history). Won revenue converts with them (docs/money.md); HubSpot
        deal amounts stay in USD.
    unconvertible_currency: a currency code (e.g. "CHF") without any rate; about 1% of the won
        renewals and expansions are booked in it and cannot be converted to USD (the
        reconciliation finding). None (default): the company has no such opportunity.
    channel_spellings: "canonical" (default: one value per channel) or "vendor": every channel
        picklist value written (Salesforce lead_source, utm_source / utm_medium, the referrer
        of untagged search sessions) is one of several real-world spellings of its channel
        ('Website', 'Word of mouth', 'Google AdWords', utm 'adwords' / 'ppc', 'fb' /
        'paidsocial', google.co.uk...), mixed in one company, deterministic per seed; so is the
        opportunity type (Salesforce's 'New Customer', 'Existing Customer - Upgrade', 'Upsell'...),
        and 20% of New Business and Expansion opportunities have none. HubSpot analytics sources
        and the deliberately unmapped values stay; the facts do not move.
    channel_effects: a causal model of conversion (simulator/channel_effects.py): a preset
        ("dominant", "equal", "zero-effect") or a spec "[base=B,]channel=EFFECT@PRESENCE,...".
        Inbound people are exposed to each channel with its presence (one web session of the
        channel each); a New Business opportunity wins with probability base + the effects of
        its primary person's channels. ground_truth.json["channel_effects"] gives each
        channel's true incremental share (conversions lost without it, same draws). None
        (default): channel win rates, no exposure.
    ad_currencies: ad accounts billed in other currencies (a list or "EUR,USD"; each USD, a
        seed currency or one of ``currencies``): the i-th ad account (in plan order) spends in
        ad_currencies[i % n]; its spend is written in that currency (the plan's USD divided
        by the rate of its day, in cents, by the same rule the warehouse applies) and
        ads/ad_stats gets the column currency_code. The truth's ad spend is the written
        amounts converted back, in USD. None (default): USD, no currency column.
    """
    validate_args(scale, seed, batch, inconsistency_rate)
    rates = load_rates()
    shape = build_profile(
        profile=profile,
        systems=systems,
        omit_tables=omit_tables,
        start_year=start_year,
        future_dates=future_dates,
        stage_history=stage_history,
        salesforce_stage_history=salesforce_stage_history,
        missing_fields=missing_fields,
        shared_domain_accounts=shared_domain_accounts,
        currencies=currencies,
        unconvertible_currency=unconvertible_currency,
        channel_spellings=channel_spellings,
        channel_effects=channel_effects,
        ad_currencies=ad_currencies,
        seed_currencies=rates.days,
    )
    if not isinstance(out_dir, Path):
        try:
            out_dir = Path(out_dir)
        except TypeError as exc:
            raise ValueError(f"out_dir must be a path, got {out_dir!r}") from exc
    say = progress or _noop
    seed = int(seed)
    batch = None if batch is None else int(batch)
    cfg = SimConfig(
        scale=float(scale),
        seed=seed,
        inconsistency_rate=float(inconsistency_rate),
        profile=shape,
    )
    say(f"planning the company (scale {scale}, seed {seed})")
    world = build_world(cfg, rates)
    if batch is None:
        lo, T = 0, AS_OF
    else:
        lo, T = AS_OF + (batch - 1) * DAY, AS_OF + batch * DAY
    out_dir.mkdir(parents=True, exist_ok=True)
    for table in ALL_TABLES:
        table_path(out_dir, table).unlink(missing_ok=True)
    (out_dir / "ground_truth.json").unlink(missing_ok=True)

    say("writing CRM and marketing tables")
    tables: dict[str, pd.DataFrame] = {}
    written: dict[str, int] = {}
    for name, cut in snapshot.SNAPSHOTS.items():
        frame = cut(world, T)
        # absent: no file; the truth reads it as an empty table - but for the field history of
        # a company that keeps its stage history as OpportunityHistory: the same changes
        if not shape.has(name) and not (
            name == "salesforce/opportunity_field_history"
            and shape.has("salesforce/opportunity_history")
        ):
            frame = frame.iloc[:0]
        out = frame[frame["_fivetran_synced"].to_numpy() >= lo]
        if shape.has(name) and (batch is None or len(out)):
            extra = (NEW_COLUMN[1],) if batch and batch >= 2 and name == NEW_COLUMN[0] else ()
            write_table(table_path(out_dir, name), name, out, extra, offset=shape.offset)
            written[name] = len(out)
        # keep only what the rules and the truth read
        keep = [
            c
            for c in frame.columns
            if c in RULE_COLUMNS.get(name, ()) or c in PRIMARY_KEYS[name] or c.startswith("_")
        ]
        tables[name] = frame[keep].copy()
        del frame, out
    # money as exported: the Salesforce currency tables written (none when absent)
    money = Money.from_tables(
        rates,
        tables["salesforce/currency_type"],
        tables["salesforce/dated_conversion_rate"],
        shape.offset_days,
    )
    chunks = ChunkWriter(world, out_dir, lo, T, hs_emails(tables), say, shape.tables, money)
    chunks.run()
    for name in CHUNKED:
        if shape.has(name) and (chunks.written.get(name, 0) or batch is None):
            written[name] = chunks.written.get(name, 0)
            if not chunks.written.get(name, 0):  # an empty table still has its header
                empty = {c: np.array([], dtype=object) for c, _ in TABLES[name]}
                empty["_fivetran_synced"] = np.array([], dtype=object)
                write_frame(table_path(out_dir, name), empty, append=False)

    say("counting the truth")
    totals, detail = count_all(tables, chunks.stats, money, T)
    truth = header(cfg, batch, T)
    truth["profile"] = shape.block()
    truth["currencies"] = list(shape.currencies)
    truth.update(facts(world, tables, chunks.stats, money))
    truth["future_dated"] = future_dated(tables, T)
    truth["missing_fields"] = missing_fields_count(tables)
    truth["shared_domain"] = shared_domain(world, tables)
    people = People(tables)
    truth["by_channel"], truth["by_channel_excluded"] = by_channel(tables, money, people)
    truth["attribution_touches"], truth["attribution_touches_excluded"] = attribution_touches(
        tables, chunks.stats, money, people, shape.offset
    )
    cumulative = {name: len(frame) for name, frame in tables.items()}
    cumulative.update({name: int(chunks.stats.rows.get(name, 0)) for name in CHUNKED})
    truth["rows"] = {name: int(written.get(name, 0)) for name in ALL_TABLES if name in written}
    truth["rows_cumulative"] = {name: cumulative[name] for name in shape.tables}
    truth["inconsistencies"] = totals
    truth["inconsistencies_detail"] = detail
    truth["injected"] = dict(sorted(world.injected.items()))
    truth["unmapped_values"] = [list(x) for x in world.unmapped]
    truth["stale_tables"] = sorted(world.stale_stop)
    if shape.channel_effects is not None and world.causal_draws is not None:
        truth["channel_effects"] = incremental_truth(
            shape.channel_effects, world.causal_draws, world.opps, T
        )
    truth = _plain(truth)
    with (out_dir / "ground_truth.json").open("w", encoding="utf-8") as fh:
        json.dump(truth, fh, indent=2, sort_keys=True)
        fh.write("\n")
    say(f"done: {truth['people']} people, {truth['opportunities']} opportunities")
    return truth


def _plain(value: object) -> object:
    """numpy scalars -> Python scalars (JSON-ready)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    return value
