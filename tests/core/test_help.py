"""Help: one table of commands for both front doors."""

from __future__ import annotations

from bot.core.help import COMMANDS, help_reply
from bot.core.learners import Learner


def test_discord_help_lists_slash_commands_and_hides_the_owners() -> None:
    learner = Learner(1, "Asha", "en")
    body = help_reply(learner, "discord").cards[0].body
    assert "**/lesson**" in body and "/reload-content" not in body and "/code" not in body
    assert "/reload-content" in help_reply(learner, "discord", can_manage=True).cards[0].body


def test_hindi_help_names_the_hindi_commands() -> None:
    body = help_reply(Learner(1, "Asha", "hi"), "discord").cards[0].body
    assert "**/पाठ** (/lesson)" in body


def test_console_help_lists_what_the_console_types() -> None:
    body = help_reply(Learner(0, "me", "en"), "console").cards[0].body
    for name in ("/lesson", "/next", "/sweep", "/code", "/backprop", "/quit"):
        assert name in body
    assert "/ask" not in body


def test_every_command_has_a_description_in_both_languages() -> None:
    from bot.core.help import description
    from bot.i18n import tr

    for cmd in COMMANDS:
        text = tr(description(cmd.name))
        assert text.en and text.hi and text.en != text.hi, cmd.name
