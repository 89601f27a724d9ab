"""/teacher: a server's settings, class report, CSV export, assignments, own questions, resets and the
live class quiz, over bot.core.teacher (which decides who is a teacher); and their buttons.

Custom ids: `te:reset:<owner>:<member>` (confirm a reset), `te:next:<owner>:<game>` and
`te:end:<owner>:<game>` (the teacher paces a live quiz), `te:ans:<owner>:<game>:<index>:<choice>`
(anyone in the class answers).
"""

from __future__ import annotations

import re
from typing import Any

import discord
from discord import app_commands
from discord.app_commands import Choice, Range
from discord.ext import commands

from bot.classroom.live import MAX_SECONDS, MIN_SECONDS
from bot.cogs import render
from bot.cogs.buttons import OWNER, button, guard, owner_only, register
from bot.cogs.context import Interaction, client_of, learner_of, tutor_of
from bot.cogs.status import Deferring
from bot.core import teacher
from bot.core.replies import Action, notice
from bot.i18n import say

ROLES = {"teacher.reset": "reset", "teacher.live_next": "next", "teacher.live_end": "end"}  # else "ans"
KINDS = [Choice(name="Lesson", value="lesson"), Choice(name="Quiz", value="quiz")]
LANGUAGES = [Choice(name=n, value=v) for n, v in (("Hindi", "hi"), ("English", "en"), ("Both", "both"))]


class TeacherButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"te:(?P<action>reset|next|end|ans):" + OWNER + r":(?P<args>[0-9a-z:]{1,60})",
):
    """A reset's confirm button, and the live quiz's Next, End and answer buttons."""

    def __init__(self, action: str, owner: int, args: str, item: discord.ui.Button[Any]) -> None:
        super().__init__(item)
        self.action, self.owner, self.args = action, owner, args

    @classmethod
    def of_action(cls, action: Action, owner: int) -> TeacherButton:
        """The button for a core "teacher.*" action."""
        role = ROLES.get(action.kind, "ans")
        args = ":".join(str(a) for a in action.args)
        return cls(role, owner, args, button(action, f"te:{role}:{owner}:{args}"))

    @classmethod
    async def from_custom_id(
        cls, interaction: Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> TeacherButton:
        assert isinstance(item, discord.ui.Button)
        return cls(match["action"], int(match["owner"]), match["args"], item)

    async def interaction_check(self, interaction: Interaction, /) -> bool:
        # a reset is confirmed by the teacher who asked; the class answers live questions (the core
        # lets only a teacher pace them)
        return self.action != "reset" or await owner_only(interaction, self.owner)

    async def callback(self, interaction: Interaction) -> None:
        await guard(interaction, self._press(interaction))

    async def _press(self, interaction: Interaction) -> None:
        learner = await learner_of(interaction)
        tutor = tutor_of(interaction)
        parts = self.args.split(":")
        if self.action == "reset":
            reply = await teacher.confirm_reset(tutor, learner, int(parts[0]))
        elif self.action == "next":
            reply = await teacher.live_next(tutor, learner, int(parts[0]))
        elif self.action == "end":
            reply = await teacher.live_end(tutor, learner, int(parts[0]))
        else:
            reply = await teacher.live_answer(tutor, learner, int(parts[0]), int(parts[1]), parts[2])
        await render.send(interaction, reply)


for _kind in ("teacher.reset", "teacher.live_next", "teacher.live_end", "teacher.live_answer"):
    register(_kind, TeacherButton.of_action)


@app_commands.guild_only()
class Teacher(commands.GroupCog, group_name="teacher", group_description="Tools for this server's teachers"):
    """The teacher's commands."""

    def __init__(self, bot: commands.Bot) -> None:
        self.bot = bot
        super().__init__()

    @app_commands.command(name="settings", description="See or change this server's settings")
    @app_commands.describe(
        language="Default language of learners who chose none",
        replies="Where replies go",
        training="Allow /train, /compare and /sweep",
        leaderboard="Show /leaderboard",
        teacher_role="Members with this role are teachers too",
        timezone="The server's time zone, e.g. Asia/Kolkata",
    )
    @app_commands.choices(
        language=[*LANGUAGES, Choice(name="Each learner's Discord language", value="auto")],
        replies=[
            Choice(name="Public", value="public"),
            Choice(name="Private", value="private"),
            Choice(name="A thread per learner for long work", value="thread"),
        ],
    )
    async def settings(
        self,
        interaction: Interaction,
        language: Choice[str] | None = None,
        replies: Choice[str] | None = None,
        training: bool | None = None,
        leaderboard: bool | None = None,
        teacher_role: discord.Role | None = None,
        timezone: Range[str, 1, 64] | None = None,
    ) -> None:
        given = {
            "language": language.value if language else None,
            "replies": replies.value if replies else None,
            "training": training,
            "leaderboard": leaderboard,
            "teacher_role": teacher_role.id if teacher_role else None,
            "timezone": timezone,
        }
        changes = {name: value for name, value in given.items() if value is not None}
        learner = await learner_of(interaction)
        await render.send(interaction, await teacher.settings(tutor_of(interaction), learner, changes))

    @app_commands.command(name="report", description="The class at a glance")
    @app_commands.describe(lesson="One lesson's report (default: the whole course)")
    async def report(self, interaction: Interaction, lesson: Range[str, 1, 100] | None = None) -> None:
        learner = await learner_of(interaction)
        await Deferring(interaction, private=True).working("")
        await render.send(interaction, await teacher.report(tutor_of(interaction), learner, lesson))

    @app_commands.command(name="export", description="The class as a CSV file")
    @app_commands.describe(answers="Also every answer, as a second CSV")
    async def export(self, interaction: Interaction, answers: bool = False) -> None:
        learner = await learner_of(interaction)
        await Deferring(interaction, private=True).working("")
        await render.send(interaction, await teacher.export(tutor_of(interaction), learner, answers))

    @app_commands.command(name="assign", description="Assign a lesson or a lesson's quiz")
    @app_commands.describe(kind="Lesson or quiz", lesson="Which lesson", due="Due day, YYYY-MM-DD")
    @app_commands.choices(kind=KINDS)
    async def assign(
        self,
        interaction: Interaction,
        kind: Choice[str],
        lesson: Range[str, 1, 100],
        due: Range[str, 1, 20] | None = None,
    ) -> None:
        learner = await learner_of(interaction)
        reply = await teacher.assign(tutor_of(interaction), learner, kind.value, lesson, due)
        await render.send(interaction, reply)

    @app_commands.command(name="unassign", description="Withdraw an assignment")
    @app_commands.describe(kind="Lesson or quiz", lesson="Which lesson")
    @app_commands.choices(kind=KINDS)
    async def unassign(self, interaction: Interaction, kind: Choice[str], lesson: Range[str, 1, 100]) -> None:
        learner = await learner_of(interaction)
        await render.send(
            interaction, await teacher.unassign(tutor_of(interaction), learner, kind.value, lesson)
        )

    @app_commands.command(name="upload", description="Add your own quiz questions (a YAML file)")
    @app_commands.describe(file="A quiz file like content/quizzes/<lesson>.yaml")
    async def upload(self, interaction: Interaction, file: discord.Attachment) -> None:
        learner = await learner_of(interaction)
        await Deferring(interaction, private=True).working("")
        reply = await teacher.upload(tutor_of(interaction), learner, file.filename, file.size, file.read)
        await render.send(interaction, reply)

    @app_commands.command(name="questions", description="This server's own questions")
    @app_commands.describe(remove="Remove the question with this id")
    async def questions(self, interaction: Interaction, remove: Range[str, 1, 60] | None = None) -> None:
        learner = await learner_of(interaction)
        tutor = tutor_of(interaction)
        if remove is None:
            reply = await teacher.questions(tutor, learner)
        else:
            reply = await teacher.remove_question(tutor, learner, remove)
        await render.send(interaction, reply)

    @app_commands.command(name="reset", description="Clear one learner's progress in this server")
    @app_commands.describe(member="Whose progress")
    async def reset(self, interaction: Interaction, member: discord.Member) -> None:
        learner = await learner_of(interaction)
        reply = await teacher.reset(tutor_of(interaction), learner, member.id, member.display_name)
        await render.send(interaction, reply)

    @app_commands.command(name="live", description="A live class quiz you pace")
    @app_commands.describe(lesson="Which lesson", seconds="Seconds to answer each question")
    async def live(
        self,
        interaction: Interaction,
        lesson: Range[str, 1, 100],
        seconds: Range[int, MIN_SECONDS, MAX_SECONDS] | None = None,
    ) -> None:
        learner = await learner_of(interaction)
        reply = await teacher.live_start(tutor_of(interaction), learner, lesson, seconds)
        channel = interaction.channel
        if not reply.thread or not isinstance(channel, discord.TextChannel):
            await render.send(interaction, reply)  # already in a thread (or no room for one): here
            return
        # the class plays in a thread of its own; the teacher is told where
        thread = await channel.create_thread(name=reply.thread, type=discord.ChannelType.public_thread)
        await render.post(thread, reply, client_of(interaction))
        where = say("teacher.live_in_thread", learner.lang, thread=thread.mention)
        await render.send(interaction, notice(where, private=True))


async def setup(bot: commands.Bot) -> None:
    """Add the teacher cog and its buttons."""
    await bot.add_cog(Teacher(bot))
    bot.add_dynamic_items(TeacherButton)
