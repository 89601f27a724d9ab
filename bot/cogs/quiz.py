"""/quiz and the quiz buttons: one question at a time, immediate feedback, a score at the end.

The quiz state lives in the database (bot.quiz.session); the buttons carry the session id and the
position they answer, so they work after a restart and a button for an answered question is stale.
"""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands
from discord.app_commands import Range
from discord.ext import commands

from bot.cogs import render
from bot.cogs.common import NO_MENTIONS, lang_of, tutor_of
from bot.cogs.lessons import find_lesson, lesson_autocomplete
from bot.cogs.texts import say, short
from bot.cogs.views import (
    QUIZ_VIEW_TIMEOUT,
    AnswerModal,
    QuizChoice,
    QuizTypedAnswer,
    TimedView,
    attach_to_interaction,
    stale,
)
from bot.content.schema import CodeOutput, MultipleChoice, TrueFalse
from bot.errors import NotFound, TutorError
from bot.quiz.views import Feedback, QuestionView

DEFAULT_COUNT = 5


def question_embed(qv: QuestionView, lang: str, catalog: Any) -> discord.Embed:
    """The question: prompt, code, options, and where the learner is in the quiz."""
    question = qv.question
    try:
        topic = render.text(catalog.lesson(qv.lesson_id).title, lang)
    except NotFound:
        topic = qv.lesson_id
    body = render.text(question.prompt, lang)
    if isinstance(question, CodeOutput):
        body += f"\n```python\n{question.code}\n```"
    if isinstance(question, MultipleChoice | CodeOutput):
        body += "\n" + "\n".join(f"**{o.id.upper()}**) {render.text(o.text, lang)}" for o in question.options)
    out = render.embed(short("quiz.title", lang, topic=topic), body, render.TEAL)
    out.set_footer(text=f"{short('quiz.question_of', lang, n=qv.number, total=qv.total)} · ✅ {qv.score}")
    return out


def question_view(qv: QuestionView, owner: int, lang: str, bot: Any) -> TimedView:
    """Buttons for this question: A–D, True/False, or 'Answer' (a modal), and Skip."""
    view = TimedView(bot, ("quiz", owner), lang, timeout=QUIZ_VIEW_TIMEOUT, note="quiz_expired")
    position = qv.number - 1
    question = qv.question
    if isinstance(question, MultipleChoice | CodeOutput):
        for option in question.options:
            view.add_item(QuizChoice(owner, qv.session_id, position, option.id, option.id.upper()))
    elif isinstance(question, TrueFalse):
        view.add_item(
            QuizChoice(
                owner, qv.session_id, position, "t", short("quiz.true", lang), discord.ButtonStyle.success
            )
        )
        view.add_item(
            QuizChoice(
                owner, qv.session_id, position, "f", short("quiz.false", lang), discord.ButtonStyle.danger
            )
        )
    else:
        view.add_item(QuizTypedAnswer(owner, qv.session_id, position, short("quiz.answer_button", lang)))
    view.add_item(
        QuizChoice(
            owner,
            qv.session_id,
            position,
            "skip",
            short("quiz.skip_button", lang),
            discord.ButtonStyle.secondary,
        )
    )
    return view


def feedback_embed(fb: Feedback, lang: str) -> discord.Embed:
    """Right or wrong, the right answer, why, and the score so far."""
    if fb.skipped:
        title, colour = short("quiz.skipped", lang), render.GOLD
    elif fb.correct:
        title, colour = short("quiz.correct", lang), render.GREEN
    else:
        title, colour = short("quiz.wrong", lang), render.RED
    lines = []
    if not fb.correct:
        lines.append(say("quiz.right_answer", lang, answer=fb.correct_answer.get(lang)))
        if fb.why_wrong is not None:
            lines.append(render.text(fb.why_wrong, lang))
    lines.append(render.text(fb.explanation, lang))
    out = render.embed(title, "\n\n".join(lines), colour)
    footer = f"✅ {fb.score}/{fb.answered}"
    if fb.xp:
        footer += f" · +{fb.xp} XP"
    out.set_footer(text=footer)
    return out


def final_embed(fb: Feedback, lang: str) -> discord.Embed:
    """The score at the end."""
    out = render.embed(short("quiz.finished", lang, score=fb.score, total=fb.total), "", render.GOLD)
    return out


def question_answer(qv: QuestionView, owner: int, lang: str, bot: Any, catalog: Any) -> render.Answer:
    """The message for a question: its embed and its buttons."""
    return render.Answer(embeds=[question_embed(qv, lang, catalog)], view=question_view(qv, owner, lang, bot))


async def _current(interaction: discord.Interaction[Any], session: int, position: int) -> QuestionView | None:
    """The quiz's current question when the clicked button still belongs to it, else None (stale)."""
    tutor = tutor_of(interaction)
    try:
        qv = await tutor.quiz.current(session, interaction.user.id)
    except TutorError:  # finished, replaced by a newer quiz, or unknown
        return None
    return qv if qv.number - 1 == position else None


async def _after_answer(interaction: discord.Interaction[Any], fb: Feedback, lang: str) -> None:
    """Replace the question with its feedback and the next question (or the final score)."""
    tutor = tutor_of(interaction)
    embeds = [feedback_embed(fb, lang)]
    view: TimedView | None = None
    if fb.next is not None:
        embeds.append(question_embed(fb.next, lang, tutor.catalog))
        view = question_view(fb.next, interaction.user.id, lang, interaction.client)
    else:
        embeds.append(final_embed(fb, lang))
        live = interaction.client.live_views
        if (previous := live.pop(("quiz", interaction.user.id), None)) is not None:
            previous.stop()
    await interaction.response.edit_message(
        content=None, embeds=embeds, view=view, allowed_mentions=NO_MENTIONS
    )
    attach_to_interaction(view, interaction)


async def on_choice(interaction: discord.Interaction[Any], session: int, position: int, choice: str) -> None:
    """A quiz button: grade the choice (or skip) and move on."""
    lang = await lang_of(interaction)
    if await _current(interaction, session, position) is None:
        await stale(interaction)
        return
    tutor = tutor_of(interaction)
    if choice == "skip":
        fb = await tutor.quiz.skip(session, interaction.user.id)
    else:
        given = {"t": "true", "f": "false"}.get(choice, choice)
        fb = await tutor.quiz.answer(session, interaction.user.id, given)
    await _after_answer(interaction, fb, lang)


async def open_answer_modal(interaction: discord.Interaction[Any], session: int, position: int) -> None:
    """'Answer' on a numeric or free-text question: ask for the answer in a modal."""
    lang = await lang_of(interaction)
    qv = await _current(interaction, session, position)
    if qv is None:
        await stale(interaction)
        return
    await interaction.response.send_modal(
        AnswerModal(session, position, lang, short("quiz.your_answer", lang))
    )


async def on_typed(interaction: discord.Interaction[Any], session: int, position: int, given: str) -> None:
    """A typed answer from the modal: grade it (a malformed one is refused, nothing recorded)."""
    lang = await lang_of(interaction)
    if await _current(interaction, session, position) is None:
        await stale(interaction)
        return
    fb = await tutor_of(interaction).quiz.answer(session, interaction.user.id, given)
    await _after_answer(interaction, fb, lang)


async def start_quiz(
    tutor: Any, bot: Any, user: discord.abc.User, topic: str | None, count: int | None, lang: str
) -> render.Answer:
    """Start a quiz (or resume the active one when no topic and no count are given)."""
    if topic is None and count is None:
        active = await tutor.quiz.active_session(user.id)
        if active is not None:
            return question_answer(active, user.id, lang, bot, tutor.catalog)
    lesson_id = find_lesson(tutor.catalog, topic).id if topic else None
    qv = await tutor.quiz.start(user.id, lesson_id, count or DEFAULT_COUNT, display_name=user.display_name)
    return question_answer(qv, user.id, lang, bot, tutor.catalog)


class Quiz(commands.Cog):
    """Quizzes with buttons and modals."""

    def __init__(self, bot: commands.Bot) -> None:
        self.bot = bot

    @app_commands.command(name="quiz", description="Take a quiz, one question at a time")
    @app_commands.describe(topic="Lesson to quiz on (empty: mixed)", count="Number of questions")
    @app_commands.autocomplete(topic=lesson_autocomplete)
    async def quiz(
        self,
        interaction: discord.Interaction[Any],
        topic: Range[str, 1, 100] | None = None,
        count: Range[int, 1, 20] | None = None,
    ) -> None:
        lang = await lang_of(interaction)
        answer = await start_quiz(tutor_of(interaction), self.bot, interaction.user, topic, count, lang)
        await interaction.response.send_message(**answer.kwargs())
        attach_to_interaction(answer.view, interaction)


async def setup(bot: commands.Bot) -> None:
    """Add the quiz cog."""
    await bot.add_cog(Quiz(bot))
