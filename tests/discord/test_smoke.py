"""The bot logs in, syncs its commands with Hindi localizations, and answers /help."""

from __future__ import annotations

from tests.discord.conftest import World, embed_text


async def test_help_lists_commands_in_english(world: World) -> None:
    result = await world.alice.slash(world.channel, "help")
    assert result.ephemeral
    text = embed_text(result.response.embeds[0])
    assert "/train" in text and "/quiz" in text and "/lesson" in text
