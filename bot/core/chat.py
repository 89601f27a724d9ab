"""Free text (a mention, a DM, /ask, a console line): routed to an intent, answered by the same use case
as the matching command."""

from __future__ import annotations

import re

from bot.chat import Intent, lookup, route
from bot.chat.router import MAX_TEXT as ROUTER_LIMIT
from bot.chat.words import OTHER_PERIODS
from bot.core import concepts, glossary, help, lessons, progress, quiz, teaching, training
from bot.core.help import Door
from bot.core.learners import Learner, choose_language
from bot.core.replies import Reply, notice
from bot.core.status import Status
from bot.core.tutor import Tutor
from bot.errors import InvalidRequest
from bot.i18n import say


def unsupported_period(text: str) -> str | None:
    """A period word the leaderboard does not keep ("leaderboard this year"), to refuse it by name."""
    words = re.findall(r"[\w\u0900-\u097f]+", text.casefold())
    return next((word for word in words if word in OTHER_PERIODS), None)


def intent_of(tutor: Tutor, text: str) -> Intent:
    """What free text asks for."""
    return route(text, tutor.catalog)


async def answer_text(
    tutor: Tutor, learner: Learner, text: str, status: Status, door: Door
) -> tuple[Learner, Reply]:
    """Answer free text; the learner as they now speak (a language request changes it), and the reply.

    A language named in the text ("backprop kya hai in hindi") answers this one reply in it.
    """
    intent = intent_of(tutor, text)
    if intent.kind in ("train", "compare") and len(text) > ROUTER_LIMIT:
        # the router read a cut copy: typed points past the cut would be lost without a word
        raise InvalidRequest("too_long", max=ROUTER_LIMIT)
    if intent.kind == "language" and intent.lang:
        return await choose_language(tutor, learner, intent.lang)
    asked = learner.speaking(intent.lang)
    return learner, await _answer(tutor, asked, intent, status, door)


async def _answer(tutor: Tutor, learner: Learner, intent: Intent, status: Status, door: Door) -> Reply:
    kind = intent.kind
    if kind == "lesson":
        if intent.nav in ("next", "prev"):
            return await lessons.turn_page(tutor, learner, 1 if intent.nav == "next" else -1, status)
        topic = intent.topic or (str(intent.count) if intent.count else None)
        return await lessons.open_lesson(tutor, learner, topic, status)
    if kind == "concept" and intent.term:
        return concepts.concept(tutor, learner, intent.term)
    if kind == "glossary":
        return await _define(tutor, learner, intent.term or intent.raw, status)
    if kind == "quiz":
        return await quiz.start_quiz(tutor, learner, intent.topic, intent.count)
    if kind == "review":
        return await quiz.review(tutor, learner)
    if kind == "train":
        return await training.train_text(tutor, learner, intent.raw, status)
    if kind == "compare":
        return await training.compare_text(tutor, learner, intent.raw, status)
    if kind == "backprop":
        return await teaching.backprop(tutor, learner, {}, status)
    if kind == "activation":
        return await teaching.activation(tutor, learner, intent.term, status)
    if kind == "progress":
        return await progress.progress(tutor, learner, status)
    if kind == "leaderboard":
        period = intent.period or unsupported_period(intent.raw) or "week"
        return await progress.leaderboard(tutor, learner, period)
    if kind == "help":
        return help.help_reply(learner, door)
    if kind == "thanks":
        return notice(say("common.thanks", learner.lang))
    return notice(say("common.not_understood", learner.lang))


async def _define(tutor: Tutor, learner: Learner, term: str, status: Status) -> Reply:
    """A glossary entry; a word that names no term but a lesson opens that lesson."""
    found = glossary.find_term(tutor, term)
    if found is not None:
        return glossary.term_reply(tutor, learner, found)
    if lookup.find_lesson(tutor.catalog, term) is not None:
        return await lessons.open_lesson(tutor, learner, term, status)
    return glossary.glossary(tutor, learner, term)  # refused: not in the glossary
