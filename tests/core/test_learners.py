"""Who asks and in which language (stored choice, then the client's locale, then the server's), and
whether they asked for private replies."""

from __future__ import annotations

import pytest

from bot.core import quiz
from bot.core.learners import choose_language, choose_replies, identify
from bot.core.running import cancelled
from bot.core.tutor import Tutor
from bot.errors import InvalidRequest


async def test_a_hindi_client_is_answered_in_hindi(tutor: Tutor) -> None:
    learner = await identify(tutor, 1, "Ravi", guild_id=7, client_locale="hi")
    assert learner.lang == "hi"


async def test_a_mention_from_a_hindi_client_is_answered_in_hindi(tutor: Tutor) -> None:
    await identify(tutor, 1, "Ravi", guild_id=7, client_locale="hi")  # a slash command first
    mention = await identify(tutor, 1, "Ravi", guild_id=7)  # a mention carries no locale
    assert mention.lang == "hi"


async def test_the_servers_locale_is_the_fallback(tutor: Tutor) -> None:
    assert (await identify(tutor, 2, "Meera", guild_id=7, guild_locale="hi")).lang == "hi"
    assert (await identify(tutor, 3, "Sam", guild_id=7, guild_locale="en-US")).lang == "en"


async def test_a_stored_choice_beats_every_locale(tutor: Tutor) -> None:
    learner = await identify(tutor, 4, "Kabir", client_locale="hi", guild_locale="hi")
    chosen, reply = await choose_language(tutor, learner, "en")
    assert chosen.lang == "en"
    assert "English" in reply.texts()[0]
    assert (await identify(tutor, 4, "Kabir", client_locale="hi", guild_locale="hi")).lang == "en"


async def test_an_unknown_language_is_refused(tutor: Tutor) -> None:
    learner = await identify(tutor, 5, "Zoya")
    with pytest.raises(InvalidRequest) as raised:
        await choose_language(tutor, learner, "fr")
    assert raised.value.code == "bad_language"


async def test_private_replies_are_stored_and_make_runs_and_quizzes_private(tutor: Tutor) -> None:
    learner = await identify(tutor, 6, "Isha", guild_id=7)
    assert not learner.private
    quiet, reply = await choose_replies(tutor, learner, "private")
    assert quiet.private and reply.private and "only you see them" in reply.note
    again = await identify(tutor, 6, "Isha", guild_id=7)  # the next request, in any door
    assert again.private
    assert (await quiz.start_quiz(tutor, again, "neuron", 1)).private
    assert cancelled(again).private
    loud, _ = await choose_replies(tutor, again, "public")
    assert not loud.private and not (await identify(tutor, 6, "Isha", guild_id=7)).private


async def test_an_unknown_reply_mode_is_refused_and_changes_nothing(tutor: Tutor) -> None:
    learner = await identify(tutor, 8, "Dev")
    with pytest.raises(InvalidRequest) as raised:
        await choose_replies(tutor, learner, "secret")
    assert raised.value.code == "replies_usage" and "secret" in raised.value.message("en")
    assert not (await identify(tutor, 8, "Dev")).private
