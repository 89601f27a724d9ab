"""/quiz, /review and the quiz buttons (A–D, True/False, Skip, and a typed-answer box), over bot.core.quiz.

Custom ids carry what they answer, so they work after a restart and an old button is stale:
- `qz:<owner>:<session>:<position>:<choice>`  an answer (a-d, t, f) or skip; position is 0-based
- `qm:<owner>:<session>:<position>`           opens the typed-answer box
- `qa:<session>:<position>`                   the box itself (answered by a listener, so a box opened
  before a restart is still answered after it)
- `qs:<owner>:<lesson>`                       "Quiz this lesson" at the end of a lesson
"""

from __future__ import annotations

import re
from typing import Any

import discord
from discord import app_commands
from discord.app_commands import Range
from discord.ext import commands

from bot.cogs import render
from bot.cogs.buttons import OWNER, button, guard, owner_only, register, retire
from bot.cogs.context import Interaction, learner_of, tutor_of
from bot.cogs.lessons import lesson_autocomplete
from bot.core import quiz
from bot.core.replies import Action, Reply
from bot.i18n import tr
from bot.quiz.session import MAX_QUESTIONS

TYPED_LABEL_MAX = 45  # Discord's limit for a text input's label


async def _show_after(interaction: Interaction, reply: Reply) -> None:
    """Replace the question with the next one (or the final score); the feedback, which reveals the
    answer, goes to the answerer alone (with the rest, when their quiz is private)."""
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


ANSWER_FIELD = "answer"  # the custom id of the text field in the typed-answer box
TYPED_ANSWER = re.compile(r"qa:(?P<session>\d+):(?P<position>\d+)")
QUESTION_MAX = 4000  # Discord's limit for a text display in a modal


class AnswerModal(discord.ui.Modal):
    """The typed-answer box of question `position`: the question itself on top (so a learner on a phone
    does not type blind), then the answer field.

    The box is only its shape: the submission is answered by `Quiz.on_interaction` from the custom id,
    so a box opened before a restart is still answered after it.
    """

    def __init__(self, session: int, position: int, title: str, question: str, placeholder: str) -> None:
        super().__init__(title=title[:TYPED_LABEL_MAX], timeout=None, custom_id=f"qa:{session}:{position}")
        self.add_item(discord.ui.TextDisplay(question[:QUESTION_MAX]))
        field: discord.ui.TextInput[AnswerModal] = discord.ui.TextInput(
            custom_id=ANSWER_FIELD, placeholder=placeholder[:100], max_length=200, required=True
        )
        self.add_item(discord.ui.Label(text=title[:TYPED_LABEL_MAX], component=field))
        # not kept in discord.py's view store (which a restart empties): the listener answers it
        self.stop()


def submitted_text(components: Any, custom_id: str) -> str | None:
    """The value a learner typed into the field `custom_id` of a submitted modal (rows and labels)."""
    for component in components if isinstance(components, list) else []:
        if not isinstance(component, dict):
            continue
        if component.get("custom_id") == custom_id and isinstance(component.get("value"), str):
            return str(component["value"])
        nested = [component["component"]] if isinstance(component.get("component"), dict) else []
        found = submitted_text([*nested, *(component.get("components") or [])], custom_id)
        if found is not None:
            return found
    return None


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
        hint = tr("quiz.typed_placeholder").pick(learner.lang, one_line=True)
        await interaction.response.send_modal(AnswerModal(self.session, self.position, title, prompt, hint))


class QuizStart(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"qs:" + OWNER + r":(?P<lesson>[a-z0-9_-]+)",
):
    """'Quiz this lesson' on a lesson's last page: a new quiz on that lesson, as a new message."""

    def __init__(self, owner: int, lesson: str, item: discord.ui.Button[Any]) -> None:
        super().__init__(item)
        self.owner, self.lesson = owner, lesson

    @classmethod
    def of_action(cls, action: Action, owner: int) -> QuizStart:
        """The button for a core "quiz.start" action."""
        lesson = str(action.args[0])
        return cls(owner, lesson, button(action, f"qs:{owner}:{lesson}"))

    @classmethod
    async def from_custom_id(
        cls, interaction: Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> QuizStart:
        assert isinstance(item, discord.ui.Button)
        return cls(int(match["owner"]), match["lesson"], item)

    async def interaction_check(self, interaction: Interaction, /) -> bool:
        return await owner_only(interaction, self.owner)

    async def callback(self, interaction: Interaction) -> None:
        await guard(interaction, self._start(interaction))

    async def _start(self, interaction: Interaction) -> None:
        learner = await learner_of(interaction)
        await render.send(interaction, await quiz.quiz_on_lesson(tutor_of(interaction), learner, self.lesson))


register("quiz.choice", QuizChoice.of_action)
register("quiz.typed", QuizTypedAnswer.of_action)
register("quiz.start", QuizStart.of_action)


async def _answer_typed(interaction: Interaction, session: int, position: int, given: str) -> None:
    learner = await learner_of(interaction)
    reply = await quiz.answer(tutor_of(interaction), learner, session, position + 1, given)
    await _show_after(interaction, reply)


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

    @commands.Cog.listener()
    async def on_interaction(self, interaction: Interaction) -> None:
        """Answer a typed-answer box (`qa:` custom id), whether opened before or after a restart."""
        if interaction.type is not discord.InteractionType.modal_submit or interaction.data is None:
            return
        match = TYPED_ANSWER.fullmatch(str(interaction.data.get("custom_id", "")))
        if match is None:
            return
        given = submitted_text(interaction.data.get("components"), ANSWER_FIELD) or ""
        session, position = int(match["session"]), int(match["position"])
        await guard(interaction, _answer_typed(interaction, session, position, given))

    @app_commands.command(name="review", description="Review the cards that are due")
    async def review(self, interaction: Interaction) -> None:
        learner = await learner_of(interaction)
        await render.send(interaction, await quiz.review(tutor_of(interaction), learner))


async def setup(bot: commands.Bot) -> None:
    """Add the quiz cog and its persistent buttons."""
    bot.add_dynamic_items(QuizChoice, QuizTypedAnswer, QuizStart)
    await bot.add_cog(Quiz(bot))
