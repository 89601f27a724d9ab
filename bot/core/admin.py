"""Content reload: validate every file again and swap the catalog in only when nothing is wrong."""

from __future__ import annotations

import asyncio

from bot.content.loader import check_content
from bot.core.learners import Learner
from bot.core.replies import Reply, notice
from bot.core.tutor import Tutor
from bot.errors import InvalidRequest
from bot.i18n import Bilingual, reload_strings, say, tr
from bot.log import get_logger

log = get_logger(__name__)
PROBLEMS_SHOWN = 15


async def reload_content(tutor: Tutor, learner: Learner) -> Reply:
    """Re-read lessons, quizzes, glossary and strings; a broken file changes nothing and is listed."""
    # validating every YAML file takes a moment: keep the event loop free meanwhile
    catalog, problems = await asyncio.to_thread(check_content, tutor.settings.content_dir)
    if catalog is None or problems:
        listing = "\n```\n" + "\n".join(str(p) for p in problems[:PROBLEMS_SHOWN]) + "\n```"
        head = tr("admin.reload_failed", count=len(problems))
        raise InvalidRequest("content_problems", text=Bilingual(en=head.en + listing, hi=head.hi + listing))
    tutor.replace_catalog(catalog)
    reload_strings()
    log.info("content reloaded by %s: %r", learner.id, catalog)
    text = say(
        "admin.reloaded",
        learner.lang,
        lessons=len(catalog.lessons),
        questions=len(catalog.all_questions()),
        terms=len(catalog.terms),
    )
    return notice(text, private=True)
