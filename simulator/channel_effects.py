"""The causal model of conversion: which channels change the chance of a deal, and by how much
(simulator/README.md, *Channel effects*).

This module only describes and validates the model (a profile option); simulator/causal.py
plans the exposures it implies and counts the truth. Without the option (the default) the
company is planned exactly as before: New Business opportunities win with their channel's
rate and no exposure is planned.

The model: each inbound person is exposed to channel c with probability ``presence_c``
(independently per channel), which plans one web session of that channel; a New Business
opportunity whose primary person is exposed to the set X of channels wins with probability

    P(win | X) = base + sum over c in X of effect_c        (never above 1, validated)

drawn once per opportunity (one uniform number u, won iff u < P). Every other opportunity
(legacy, expansion, renewal) keeps its rate.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass

from simulator import reference as ref

#: The channels a model can name: the inbound channels (sales_outbound has no web session).
CHANNELS: tuple[str, ...] = tuple(c.name for c in ref.INBOUND_CHANNELS)
#: The win rate of a New Business opportunity without any exposure, unless the spec sets base.
DEFAULT_BASE = 0.15
OPTION = "channel_effects"


@dataclass(frozen=True)
class Effect:
    """One channel of the model."""

    channel: str
    #: Added to the win probability of a New Business opportunity whose person was exposed.
    effect: float
    #: The share of inbound people exposed to the channel (one planned session each).
    presence: float


@dataclass(frozen=True)
class ChannelEffects:
    """A causal model: the base win rate and the channels with their effect and presence."""

    name: str
    base: float
    effects: tuple[Effect, ...]

    @property
    def channels(self) -> tuple[str, ...]:
        return tuple(e.channel for e in self.effects)

    def win_probability(self, exposed: tuple[bool, ...] | list[bool]) -> float:
        """P(win | X) for the exposure flags, in the order of ``effects``."""
        return self.base + sum(e.effect for e, x in zip(self.effects, exposed, strict=True) if x)

    def block(self) -> dict[str, object]:
        """The model as ground_truth.json["channel_effects"]["model"] records it."""
        return {
            "name": self.name,
            "base": self.base,
            "formula": "P(win) = base + sum of effect[c] over the channels c the opportunity's "
            "primary person was exposed to",
            "channels": {
                e.channel: {"effect": e.effect, "presence": e.presence} for e in self.effects
            },
        }


def _model(name: str, base: float, *effects: tuple[str, float, float]) -> ChannelEffects:
    return ChannelEffects(name, base, tuple(Effect(*e) for e in effects))


#: Named models (``--channel-effects NAME``).
PRESETS: dict[str, ChannelEffects] = {
    # one channel carries most of the lift: true shares about 0.75 / 0.125 / 0.125
    "dominant": _model(
        "dominant",
        DEFAULT_BASE,
        ("events", 0.30, 0.4),
        ("social", 0.05, 0.4),
        ("display", 0.05, 0.4),
    ),
    # two channels with the same effect and presence: true shares about 0.5 / 0.5
    "equal": _model("equal", DEFAULT_BASE, ("events", 0.15, 0.4), ("partner", 0.15, 0.4)),
    # display is present in most journeys and changes nothing: true share 0
    "zero-effect": _model(
        "zero-effect", DEFAULT_BASE, ("events", 0.20, 0.4), ("display", 0.0, 0.7)
    ),
}
PRESET_HELP = {
    "dominant": "events +0.30, social +0.05, display +0.05 (each 40%% of people)",
    "equal": "events +0.15, partner +0.15 (each 40%% of people)",
    "zero-effect": "events +0.20 (40%% of people), display +0 (70%% of people)",
}


def _share(text: str, what: str, low: float, high: float, low_open: bool = False) -> float:
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"{OPTION}: {what} must be a number, got {text!r}") from None
    if not (low < value if low_open else low <= value) or not value <= high:
        bracket = "(" if low_open else "["
        raise ValueError(f"{OPTION}: {what} must be in {bracket}{low}, {high}], got {text!r}")
    return value


def _parse_spec(spec: str) -> ChannelEffects:
    """``[base=B,]channel=EFFECT@PRESENCE,...``, e.g. ``base=0.1,events=0.3@0.4,display=0@0.7``."""
    base = DEFAULT_BASE
    effects: list[Effect] = []
    for item in (x.strip() for x in spec.split(",")):
        if not item:
            continue
        key, sep, value = item.partition("=")
        key = key.strip()
        if not sep:
            raise ValueError(
                f"{OPTION}: {item!r} is neither a preset ({', '.join(PRESETS)}) nor "
                "channel=EFFECT@PRESENCE"
            )
        if key == "base":
            base = _share(value, "base", 0.0, 1.0)
            continue
        if key not in CHANNELS:
            raise ValueError(f"{OPTION}: unknown channel {key!r}; known: {', '.join(CHANNELS)}")
        if any(e.channel == key for e in effects):
            raise ValueError(f"{OPTION}: channel {key!r} is given twice")
        effect, at, presence = value.partition("@")
        if not at:
            raise ValueError(f"{OPTION}: {item!r} needs EFFECT@PRESENCE, e.g. {key}=0.2@0.4")
        effects.append(
            Effect(
                key,
                _share(effect, f"the effect of {key}", 0.0, 1.0),
                _share(presence, f"the presence of {key}", 0.0, 1.0, low_open=True),
            )
        )
    if not effects:
        raise ValueError(f"{OPTION}: name at least one channel=EFFECT@PRESENCE")
    return ChannelEffects("custom", base, tuple(effects))


def parse(value: object) -> ChannelEffects | None:
    """A preset name, a spec string or a ChannelEffects; None = no causal model (default).

    ValueError names the option: unknown preset or channel, effects outside [0, 1], a
    presence outside (0, 1], or base + the effects above 1 (the probability would be capped
    and the effects would no longer add up).
    """
    if value is None:
        return None
    if isinstance(value, ChannelEffects):
        model = value
    elif isinstance(value, str):
        text = value.strip()
        model = PRESETS[text] if text in PRESETS else _parse_spec(text)
    else:
        raise ValueError(f"{OPTION} must be a preset name or a spec string, got {value!r}")
    for e in model.effects:
        if e.channel not in CHANNELS:
            raise ValueError(f"{OPTION}: unknown channel {e.channel!r}")
        ok = all(isinstance(v, numbers.Real) for v in (e.effect, e.presence))
        if not ok or not 0 <= e.effect <= 1 or not 0 < e.presence <= 1:
            raise ValueError(f"{OPTION}: {e.channel} needs effect in [0, 1], presence in (0, 1]")
    total = model.base + sum(e.effect for e in model.effects)
    if total > 1 + 1e-12:
        raise ValueError(
            f"{OPTION}: base + the effects = {total:g} is above 1 (a win probability); "
            "lower the effects or base"
        )
    return model
