"""Teaching pictures with real numbers: the backprop walkthrough and the activation functions."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from bot.core.learners import Learner
from bot.core.replies import Card, Picture, Reply
from bot.core.status import Status
from bot.core.tutor import Tutor
from bot.errors import InvalidRequest
from bot.i18n import Lang, say, tr
from bot.training.spec import BACKPROP_NETWORKS as NETWORKS
from bot.training.spec import normalize_name

NUMBER_KEYS = ("x1", "x2", "y", "lr")
WORD_KEYS = ("network", "activation")


def backprop_options(text: str, *, strict: bool) -> dict[str, Any]:
    """Walkthrough options from "network 2-2-1 x1 0.5 x2=-1 y 1 lr 0.1 activation relu".

    `strict` (a command's arguments): every word must be an option with its value. Otherwise (free text
    such as "show backprop with x1 2") other words are ignored. A value that is not a number, or a network
    or activation the walkthrough does not know, is refused.
    """
    words = text.lower().replace("=", " ").replace(":", " ").split()
    found: dict[str, Any] = {}
    index = 0
    while index < len(words):
        key = words[index]
        if key not in NUMBER_KEYS + WORD_KEYS:
            if strict:
                raise InvalidRequest(
                    "backprop_unknown_option", word=key[:30], known=", ".join(NUMBER_KEYS + WORD_KEYS)
                )
            index += 1
            continue
        if index + 1 >= len(words):
            raise InvalidRequest("backprop_missing_value", key=key)
        value = words[index + 1]
        if key in NUMBER_KEYS:
            found[key] = _number(key, value)
        elif key == "network":
            if value not in NETWORKS:
                raise InvalidRequest("backprop_unknown_network", value=value[:30], names=", ".join(NETWORKS))
            found[key] = value
        else:
            found[key] = normalize_name("activation", value)
        index += 2
    return found


def _number(key: str, value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise InvalidRequest("backprop_option_not_a_number", key=key, value=value[:30]) from None
    if not math.isfinite(number):
        raise InvalidRequest("backprop_option_not_a_number", key=key, value=value[:30])
    return number


def walkthrough_options(given: Mapping[str, Any]) -> dict[str, Any]:
    """What the walkthrough job takes: x1/x2 become the input pair (a missing one is 0)."""
    options = {k: v for k, v in given.items() if v is not None and k not in ("x1", "x2")}
    if given.get("x1") is not None or given.get("x2") is not None:
        options["x"] = [float(given.get("x1") or 0.0), float(given.get("x2") or 0.0)]
    return options


async def backprop(tutor: Tutor, learner: Learner, options: Mapping[str, Any], status: Status) -> Reply:
    """The forward pass, the chain rule by hand, autograd's gradients and one update, with real numbers."""
    await status.working(say("teaching.working", learner.lang))
    outcome = await tutor.jobs.backprop(walkthrough_options(options), learner.lang, learner=str(learner.id))
    title = tr("teaching.backprop_title").pick(learner.lang, one_line=True)
    # in 'both' each language is a card of its own (the front door pages what is too long, never cuts)
    langs: tuple[Lang, ...] = ("hi", "en") if learner.lang == "both" else (learner.lang,)
    cards = tuple(
        Card(title=title if n == 0 else "", body=f"```\n{outcome.text.pick(lang)}\n```", tone="teaching")
        for n, lang in enumerate(langs)
    )
    return Reply(cards=cards)


async def activation(tutor: Tutor, learner: Learner, name: str | None, status: Status) -> Reply:
    """The activation functions and their gradients, or one of them ("relu")."""
    chosen = normalize_name("activation", name) if name else None  # refused with a suggestion
    await status.working(say("teaching.working", learner.lang))
    drawing = await tutor.jobs.activation(chosen, learner.lang, learner=str(learner.id))
    title = tr("teaching.activation_title").pick(learner.lang, one_line=True) + (
        f": {chosen}" if chosen else ""
    )
    shown = tuple(Picture(p.name, p.png, p.title.pick(learner.lang, one_line=True)) for p in drawing.pictures)
    return Reply(cards=(Card(title=title, pictures=shown[:1], tone="teaching"),))
