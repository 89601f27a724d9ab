"""The one error handler says which permission a refused command needs, in the learner's language."""

from __future__ import annotations

import pytest
from discord import app_commands

from bot.cogs.errors import NotOwner, message_for, refusal_code
from bot.errors import InvalidRequest


@pytest.mark.parametrize(
    ("lang", "word"), [("en", "you do not have it"), ("hi", "आपके पास नहीं"), ("both", "आपके पास नहीं")]
)
def test_a_missing_permission_is_named_as_discord_names_it(lang: str, word: str) -> None:
    told = message_for(app_commands.MissingPermissions(["manage_guild"]), lang, "test")
    assert "Manage Server" in told and word in told
    if lang == "both":
        assert "you do not have it" in told
    assert "owner" not in told


def test_every_missing_permission_is_named() -> None:
    told = message_for(app_commands.MissingPermissions(["manage_roles", "kick_members"]), "en", "test")
    assert "Manage Roles, Kick Members" in told


def test_a_permission_the_bot_lacks_is_named_as_the_bots() -> None:
    told = message_for(app_commands.BotMissingPermissions(["attach_files", "embed_links"]), "en", "test")
    assert "I need the Attach Files, Embed Links permission" in told


def test_only_the_owner_check_speaks_of_the_owner() -> None:
    assert "owner" in message_for(NotOwner(), "en", "test")
    assert "Manage Messages" in message_for(app_commands.MissingPermissions(["manage_messages"]), "en", "t")


def test_a_refusal_is_known_by_its_code_and_a_surprise_by_none() -> None:
    assert refusal_code(InvalidRequest("queue_full", size=3)) == "queue_full"
    assert refusal_code(NotOwner()) == "owner_only"
    assert refusal_code(app_commands.MissingPermissions(["manage_guild"])) == "permission"
    assert refusal_code(app_commands.BotMissingPermissions(["attach_files"])) == "bot_permission"
    assert refusal_code(app_commands.NoPrivateMessage()) == "server_only"
    assert refusal_code(ValueError("a bug")) is None
