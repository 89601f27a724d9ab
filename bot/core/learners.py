"""Who is asking, and in which language: the first step of every request in either front door."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from bot.classroom.settings import ServerSettings
from bot.core.replies import Reply, notice
from bot.core.tutor import Tutor
from bot.errors import InvalidRequest
from bot.i18n import LANG_CHOICES, Lang, say, tr


@dataclass(frozen=True)
class Learner:
    """A learner making a request: their id and name, the server they are in (with its settings), the
    reply language, and whether they are one of that server's teachers."""

    id: int
    name: str
    lang: Lang
    guild_id: int | None = None
    server: ServerSettings | None = None  # None in a DM and the console
    teacher: bool = False
    private: bool = False  # they asked for their runs and quizzes to be answered privately

    def speaking(self, lang: str | None) -> Learner:
        """The same learner answered in `lang` for one reply ("in hindi"); unchanged for None."""
        return replace(self, lang=as_lang(lang)) if lang else self


def as_lang(value: str) -> Lang:
    """`value` as a language choice; InvalidRequest for anything but hi, en or both."""
    for choice in LANG_CHOICES:
        if value == choice:
            return choice
    raise InvalidRequest("bad_language", given=value)


async def identify(
    tutor: Tutor,
    learner_id: int,
    name: str,
    *,
    guild_id: int | None = None,
    client_locale: str | None = None,
    guild_locale: str | None = None,
    manage_server: bool = False,
    role_ids: Iterable[int] = (),
) -> Learner:
    """The learner behind a request: recorded on first sight in this server (and again under a new
    name), their client locale kept, their language chosen (stored choice, then the server's chosen
    language, then the client's locale, then the server's locale, then the default), and whether they
    teach there (Manage Server, or the server's teacher role among `role_ids`)."""
    if tutor.seen.get((guild_id, learner_id)) != name:
        await tutor.learners.ensure(learner_id, name, guild_id)
        tutor.seen[(guild_id, learner_id)] = name
    server = await tutor.servers.get(guild_id) if guild_id is not None else None
    await tutor.learners.note_locale(learner_id, client_locale)
    lang, private = await tutor.learners.choices(
        learner_id,
        client_locale,
        guild_locale,
        tutor.settings.default_language,
        server_language=server.language if server is not None else None,
    )
    teacher = server is not None and server.is_teacher(manage_server, frozenset(role_ids))
    return Learner(
        id=learner_id,
        name=name,
        lang=as_lang(lang),
        guild_id=guild_id,
        server=server,
        teacher=teacher,
        private=private,
    )


async def choose_language(tutor: Tutor, learner: Learner, choice: str) -> tuple[Learner, Reply]:
    """Store the learner's language choice; the learner as they now speak, and the confirmation."""
    lang = as_lang(choice)
    await tutor.learners.set_language(learner.id, lang, learner.name)
    text = tr("common.language_set", name=tr(f"common.lang_name_{lang}"))
    return replace(learner, lang=lang), notice(text.pick(lang), private=True)


REPLY_MODES = ("private", "public")


async def choose_replies(tutor: Tutor, learner: Learner, mode: str) -> tuple[Learner, Reply]:
    """Store whether the learner's runs and quizzes are answered privately ("private") or in the channel
    ("public"); the learner as they now are, and the confirmation (seen by them alone)."""
    if mode not in REPLY_MODES:
        raise InvalidRequest("replies_usage", given=mode[:20])
    private = mode == "private"
    await tutor.learners.set_private_replies(learner.id, private, learner.name)
    return replace(learner, private=private), notice(
        say(f"common.replies_{mode}", learner.lang), private=True
    )
