"""A thread per learner: which replies go to a learner's own thread, and the thread remembered per
channel (across a restart, replaced when it is gone)."""

from __future__ import annotations

from bot.config import Settings
from bot.core import threads
from bot.core.learners import Learner, identify
from bot.core.quiz import answer, start_quiz
from bot.core.replies import Reply
from bot.core.tutor import Tutor
from tests.db.support import right_answer

SERVER = 7
CHANNEL, THREAD, NEW_THREAD = 70, 71, 72


async def _in_server_with(tutor: Tutor, replies: str) -> Learner:
    sir = await identify(tutor, 900, "Sir", guild_id=SERVER, manage_server=True)
    await tutor.servers.change(sir.guild_id or 0, replies=replies)
    return await identify(tutor, 101, "Asha", guild_id=SERVER, client_locale="hi")


async def test_a_quiz_goes_to_the_learners_thread_where_the_server_chose_it(tutor: Tutor) -> None:
    asha = await _in_server_with(tutor, "thread")
    reply = await start_quiz(tutor, asha, "neuron", 2)
    assert reply.own_thread is not None
    assert reply.own_thread.name == "Asha का tutor thread"
    assert reply.own_thread.moved == "यह आपके अपने thread में आगे चलेगा: {thread}"
    assert reply.own_thread.refused.startswith("मुझे इस channel में threads खोलने की इजाज़त नहीं है")
    assert reply.quiz is not None
    # the quiz goes on where it is: the answer's feedback edits the question in the thread
    # the lesson's questions come shuffled: the first may be of any kind
    asked = await tutor.quiz.current(reply.quiz.session_id, asha.id)
    given = right_answer(asked.question)
    fed = await answer(tutor, asha, reply.quiz.session_id, reply.quiz.number, given)
    assert fed.own_thread is None


async def test_public_and_private_servers_direct_messages_and_private_replies_stay_where_they_are(
    tutor: Tutor,
) -> None:
    for replies in ("public", "private"):
        asha = await _in_server_with(tutor, replies)
        assert (await start_quiz(tutor, asha, "neuron", 1)).own_thread is None
    in_dm = await identify(tutor, 102, "Dev")
    assert (await start_quiz(tutor, in_dm, "neuron", 1)).own_thread is None
    asha = await _in_server_with(tutor, "thread")
    assert threads.in_own_thread(asha, Reply(note="only you", private=True)).own_thread is None
    assert threads.in_own_thread(asha, Reply(note="a run")).own_thread is not None


async def test_the_thread_is_remembered_per_channel_across_a_restart_and_replaced_when_gone(
    tutor: Tutor, settings: Settings
) -> None:
    asha = await _in_server_with(tutor, "thread")
    assert await threads.thread_of(tutor, CHANNEL, asha.id) is None
    await threads.opened_thread(tutor, SERVER, CHANNEL, asha.id, THREAD)
    assert await threads.thread_of(tutor, CHANNEL, asha.id) == THREAD
    assert await threads.thread_of(tutor, CHANNEL + 1, asha.id) is None  # another channel: another thread
    again = await Tutor.create(settings, start_pool=False)  # the bot restarted
    try:
        assert await threads.thread_of(again, CHANNEL, asha.id) == THREAD
        await threads.opened_thread(again, SERVER, CHANNEL, asha.id, NEW_THREAD)  # the old one was deleted
        assert await threads.thread_of(again, CHANNEL, asha.id) == NEW_THREAD
    finally:
        await again.close()
