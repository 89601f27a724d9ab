"""Commands named in a reply become Discord's clickable mentions, which Discord shows in the reader's
language; code, and the English name given in brackets beside a Hindi one, stay as written."""

from __future__ import annotations

from bot.cogs.mentions import mention_commands
from tests.cogs.conftest import World

IDS = {"quiz": 11, "lesson": 22, "lessons": 33, "reload-content": 44}


def test_a_named_command_becomes_its_mention() -> None:
    said = "Try /quiz neuron, then /lesson 2 or /lessons."
    assert mention_commands(said, IDS) == "Try </quiz:11> neuron, then </lesson:22> 2 or </lessons:33>."


def test_code_paths_and_the_bracketed_english_name_stay_as_written() -> None:
    said = "`/quiz` ```\n/lesson\n``` see a/quiz or http://x/lesson, **/क्विज़** (/quiz), /quizzes"
    assert mention_commands(said, IDS) == said


def test_without_synced_ids_the_text_is_unchanged() -> None:
    assert mention_commands("Try /quiz", {}) == "Try /quiz"


async def test_a_hindi_learners_reply_mentions_the_command_discord_shows_in_hindi(
    world: World, locales: dict[int, str]
) -> None:
    locales[world.alice.id] = "hi"
    bot = world.env.bot
    ids = bot.command_ids  # type: ignore[attr-defined]
    assert {"lesson", "quiz"} <= set(ids)  # filled by the sync at start-up
    refused = await world.alice.slash(world.channel, "glossary", term="quantum knitting")
    assert refused.response is not None
    assert f"</lesson:{ids['lesson']}>" in (refused.response.content or "")
    assert "/lesson" not in (refused.response.content or "").replace(f"</lesson:{ids['lesson']}>", "")
    world.env.errors.clear()  # the refusal is expected
