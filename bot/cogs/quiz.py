"""/quiz, /review and the quiz buttons (A–D, True/False, Skip, and a typed-answer box), over bot.core.quiz.

Custom ids carry what they answer, so they work after a restart and an old button is stale:
- `qz:<owner>:<session>:<position>:<choice>`  an answer (a-d, t, f) or skip; position is 0-based
- `qm:<owner>:<session>:<position>`           opens the typed-answer box
- `qa:<session>:<position>`                   the box itself
"""

from __future__ import annotations

import re
from typing import Any

import discord
from discord import app_commands
from discord.app_commands import Range
from discord.ext import commands

from bot.cogs import render
from bot.cogs.buttons import OWNER, VIEW_TIMEOUT, button, guard, owner_only, register, retire
from bot.cogs.context import Interaction, learner_of, tutor_of
from bot.cogs.lessons import lesson_autocomplete
from bot.core import quiz
from bot.core.replies import Action, Reply
from bot.i18n import tr
from bot.quiz.session import MAX_QUESTIONS

TYPED_LABEL_MAX = 45  # Discord's limit for a text input's label


async def _show_after(interaction: Interaction, reply: Reply) -> None:
    """Replace the question with its feedback and the next question (or the final score)."""
    if reply.quiz_over:
        retire(interaction, "quiz")
    await render.edit(interaction, reply)


class QuizChoice(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"qz:" + OWNER + r":(?P<session>\d+):(?P<position>\d+):(?P<choice>[a-d]|t|f|skip)",
):
    """One answer button of a quiz question (or Skip)."""

    def __init__(
        self, owner: int, session: int, position: int, choice: str, item: discord.ui.Button[Any]
    ) -> None:
        super().__init__(item)
        self.owner, self.session, self.position, self.choice = owner, session, position, choice

    @classmethod
    def of_action(cls, action: Action, owner: int) -> QuizChoice:
        """The button for a core "quiz.choice" action."""
        session, number, choice = int(action.args[0]), int(action.args[1]), str(action.args[2])
        position = number - 1
        return cls(
            owner, session, position, choice, button(action, f"qz:{owner}:{session}:{position}:{choice}")
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> QuizChoice:
        assert isinstance(item, discord.ui.Button)
        return cls(int(match["owner"]), int(match["session"]), int(match["position"]), match["choice"], item)

    async def interaction_check(self, interaction: Interaction, /) -> bool:
        return await owner_only(interaction, self.owner)

    async def callback(self, interaction: Interaction) -> None:
        await guard(interaction, self._answer(interaction))

    async def _answer(self, interaction: Interaction) -> None:
        learner = await learner_of(interaction)
        tutor = tutor_of(interaction)
        number = self.position + 1
        if self.choice == "skip":
            reply = await quiz.skip(tutor, learner, self.session, number)
        else:
            given = {"t": "true", "f": "false"}.get(self.choice, self.choice)
            reply = await quiz.answer(tutor, learner, self.session, number, given)
        await _show_after(interaction, reply)


class AnswerModal(discord.ui.Modal):
    """A typed answer (a number or a few words) to the question at `position`; the question is shown in
    the box, so a learner on a phone does not type blind."""

    def __init__(self, session: int, position: int, title: str, question: str, placeholder: str) -> None:
        super().__init__(title=title[:45], timeout=VIEW_TIMEOUT, custom_id=f"qa:{session}:{position}")
        self.session, self.position = session, position
        self.answer: discord.ui.TextInput[AnswerModal] = discord.ui.TextInput(
            label=question[:TYPED_LABEL_MAX], placeholder=placeholder[:100], max_length=200, required=True
        )
        self.add_item(self.answer)

    async def on_submit(self, interaction: Interaction, /) -> None:
        await guard(interaction, self._submit(interaction))

    async def _submit(self, interaction: Interaction) -> None:
        learner = await learner_of(interaction)
        reply = await quiz.answer(
            tutor_of(interaction), learner, self.session, self.position + 1, self.answer.value
        )
        await _show_after(interaction, reply)


class QuizTypedAnswer(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"qm:" + OWNER + r":(?P<session>\d+):(?P<position>\d+)",
):
    """'Answer' on a numeric or free-text question: opens the typed-answer box."""

    def __init__(self, owner: int, session: int, position: int, item: discord.ui.Button[Any]) -> None:
        super().__init__(item)
        self.owner, self.session, self.position = owner, session, position

    @classmethod
    def of_action(cls, action: Action, owner: int) -> QuizTypedAnswer:
        """The button for a core "quiz.typed" action."""
        session, position = int(action.args[0]), int(action.args[1]) - 1
        return cls(owner, session, position, button(action, f"qm:{owner}:{session}:{position}"))

    @classmethod
    async def from_custom_id(
        cls, interaction: Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> QuizTypedAnswer:
        assert isinstance(item, discord.ui.Button)
        return cls(int(match["owner"]), int(match["session"]), int(match["position"]), item)

    async def interaction_check(self, interaction: Interaction, /) -> bool:
        return await owner_only(interaction, self.owner)

    async def callback(self, interaction: Interaction) -> None:
        await guard(interaction, self._open(interaction))

    async def _open(self, interaction: Interaction) -> None:
        learner = await learner_of(interaction)
        prompt = await quiz.typed_question(tutor_of(interaction), learner, self.session, self.position + 1)
        title = tr("quiz.your_answer").pick(learner.lang, one_line=True)
        await interaction.response.send_modal(AnswerModal(self.session, self.position, title, prompt, title))


register("quiz.choice", QuizChoice.of_action)
register("quiz.typed", QuizTypedAnswer.of_action)


class Quiz(commands.Cog):
    """Quizzes and review."""

    def __init__(self, bot: commands.Bot) -> None:
        self.bot = bot

    @app_commands.command(name="quiz", description="Take a quiz, one question at a time")
    @app_commands.describe(topic="Lesson to quiz on (empty: mixed)", count="Number of questions")
    @app_commands.autocomplete(topic=lesson_autocomplete)
    async def quiz(
        self,
        interaction: Interaction,
        topic: Range[str, 1, 100] | None = None,
        count: Range[int, 1, MAX_QUESTIONS] | None = None,
    ) -> None:
        learner = await learner_of(interaction)
        await render.send(interaction, await quiz.start_quiz(tutor_of(interaction), learner, topic, count))

    @app_commands.command(name="review", description="Review the cards that are due")
    async def review(self, interaction: Interaction) -> None:
        learner = await learner_of(interaction)
        await render.send(interaction, await quiz.review(tutor_of(interaction), learner))


async def setup(bot: commands.Bot) -> None:
    """Add the quiz cog and its persistent buttons."""
    bot.add_dynamic_items(QuizChoice, QuizTypedAnswer)
    await bot.add_cog(Quiz(bot))
