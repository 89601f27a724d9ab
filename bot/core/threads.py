"""A thread per learner: in a server whose teachers chose it, a learner's long work (training runs,
quizzes) goes to a thread of their own in the channel they asked in, opened once and then reused."""

from __future__ import annotations

from dataclasses import replace

from bot.core.learners import Learner
from bot.core.replies import OwnThread, Reply
from bot.core.tutor import Tutor
from bot.i18n import say, tr

THREAD_NAME_MAX = 100  # Discord's limit


def in_own_thread(learner: Learner, reply: Reply) -> Reply:
    """`reply` marked for the learner's own thread when their server sends long work there (a private
    reply stays where it is)."""
    server = learner.server
    if server is None or server.replies != "thread" or reply.private:
        return reply
    lang = learner.lang
    place = OwnThread(
        name=tr("teacher.thread_name", name=learner.name).pick(lang, one_line=True)[:THREAD_NAME_MAX],
        moved=say("teacher.thread_moved", lang, thread="{thread}"),
        refused=say("teacher.thread_refused", lang),
    )
    return replace(reply, own_thread=place)


async def thread_of(tutor: Tutor, channel_id: int, learner_id: int) -> int | None:
    """The thread opened for the learner in this channel, if any."""
    return await tutor.threads.thread_of(channel_id, learner_id)


async def opened_thread(
    tutor: Tutor, guild_id: int, channel_id: int, learner_id: int, thread_id: int
) -> None:
    """Remember the thread just opened for the learner in this channel (it replaces one that is gone)."""
    await tutor.threads.remember(guild_id, channel_id, learner_id, thread_id)
