"""What the tutor can do: one table of commands, listed by /help in Discord and in the console.

Descriptions come from content/strings/command.yaml (`<command>`); the Hindi names Discord shows a
Hindi client come from `name.<command>`. Discord's slash commands are checked against this table.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

from bot.core.learners import Learner
from bot.core.replies import Card, Reply
from bot.core.teacher import assignments_card
from bot.core.tutor import Tutor
from bot.i18n import has, say, tr

Door = Literal["discord", "console"]


@dataclass(frozen=True)
class Command:
    """One command: its name, its options as Discord lists them, and how the console types it."""

    name: str
    options: tuple[str, ...] = ()  # "topic" is required, "[count]" optional
    console: str | None = None  # the console's usage after the name; None when the console has none
    manage: bool = False  # only for those who may reload content (the bot's owner)
    teach: bool = False  # only for the server's teachers
    discord: bool = True  # a slash command (False: the console's own, such as /next)


COMMANDS: tuple[Command, ...] = (
    Command(
        "lesson",
        ("[topic]",),
        "[topic or number]   (/next, /prev, /section n; /answer [n] shows a practice answer)",
    ),
    Command("quiz", ("[topic]", "[count]"), "[topic] [count]   (/skip, /stop)"),
    Command("review", (), ""),
    Command(
        "train",
        (
            "[dataset]",
            "[optimizer]",
            "[lr]",
            "[epochs]",
            "[hidden]",
            "[activation]",
            "[loss]",
            "[seed]",
            "[replay]",
        ),
        "<request>   e.g. /train xor adam lr 0.1 epochs 300",
    ),
    Command("compare", ("dataset", "[optimizers]"), "<request>   e.g. /compare xor sgd adam"),
    Command("sweep", ("dataset", "optimizer", "[rates]"), "<request>   e.g. /sweep xor sgd lr 0.01 0.1 1"),
    Command(
        "backprop",
        ("[network]", "[x1]", "[x2]", "[y]", "[lr]", "[activation]"),
        "[network 2-2-1] [x1 …] [x2 …] [y …] [lr …] [activation …]",
    ),
    Command("activation", ("[name]",), "[relu|sigmoid|tanh|leaky_relu]"),
    Command("progress", ("[member]",), ""),
    Command("leaderboard", ("[period]",), "[week|month|all]"),
    Command("language", ("name",), "hi|en|both"),
    Command("replies", ("mode",), "private|public"),
    Command("glossary", ("term",), "<term>"),
    Command("ask", ("text",), None),
    Command("help", (), ""),
    Command("reload-content", (), None, manage=True),
    Command(
        "teacher",
        ("settings|report|export|assign|unassign|upload|questions|reset|live",),
        None,
        teach=True,
    ),
    Command("code", (), "", discord=False),
    Command("replay", (), "<code> [more <epochs>]", discord=False),
    Command("animate", (), "<replay code>", discord=False),
    Command("units", (), "<replay code>", discord=False),
    Command("quit", (), "", discord=False),
)


def command(name: str) -> Command:
    """The command called `name`."""
    return next(c for c in COMMANDS if c.name == name)


def description(name: str) -> str:
    """The key of a command's description ("reload-content" → "command.reload_content")."""
    return f"command.{name.replace('-', '_')}"


def _hindi_name(word: str) -> str | None:
    key = f"name.{word.strip('[]')}"
    return tr(f"command.{key}").hi if has(f"command.{key}") else None


def _discord_line(cmd: Command, lang: str) -> str:
    about = tr(description(cmd.name))
    hindi = _hindi_name(cmd.name)
    if lang == "hi":
        name = f"**/{hindi}** (/{cmd.name})" if hindi else f"**/{cmd.name}**"
        options = [
            (opt.replace(opt.strip("[]"), found) if (found := _hindi_name(opt)) else opt)
            for opt in cmd.options
        ]
        return " ".join([name, *options]) + f"\n  {about.hi}"
    if lang == "both":
        name = f"**/{cmd.name}**" + (f" · /{hindi}" if hindi else "")
        return " ".join([name, *cmd.options]) + f"\n  {about.hi}\n  {about.en}"
    return " ".join([f"**/{cmd.name}**", *cmd.options]) + f"\n  {about.en}"


def _console_line(cmd: Command, lang: str) -> str:
    usage = f"/{cmd.name} {cmd.console}".rstrip()
    return f"{usage}\n    {tr(description(cmd.name)).pick(lang)}"


def help_reply(learner: Learner, door: Door, *, can_manage: bool = False) -> Reply:
    """Every command the learner may use, described in their language, and how free text works."""
    shown = [c for c in COMMANDS if (not c.manage or can_manage) and (not c.teach or learner.teacher)]
    if door == "discord":
        lines = [_discord_line(c, learner.lang) for c in sorted(shown, key=lambda c: c.name) if c.discord]
    else:
        lines = [_console_line(c, learner.lang) for c in shown if c.console is not None]
    body = "\n".join(lines) + "\n\n" + say("help.free_text", learner.lang)
    return Reply(
        cards=(Card(title=tr("help.title").pick(learner.lang, one_line=True), body=body),), private=True
    )


async def help_with_assignments(
    tutor: Tutor, learner: Learner, door: Door, *, can_manage: bool = False
) -> Reply:
    """The help, and under it what the learner's server has assigned them (done, to do, overdue)."""
    shown = help_reply(learner, door, can_manage=can_manage)
    assigned = await assignments_card(tutor, learner)
    return shown if assigned is None else replace(shown, cards=(*shown.cards, assigned))
