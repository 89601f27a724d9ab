"""/quiz and the quiz buttons: one question at a time, immediate feedback, a score at the end.

The quiz state lives in the database (bot.quiz.session); the buttons carry the session id and the
position they answer, so they work after a restart and a button for an answered question is stale.
"""

from __future__ import annotations

import re
from typing import Any

import discord
from discord import app_commands
from discord.app_commands import Range
from discord.ext import commands

from bot.cogs import render
from bot.cogs.common import NO_MENTIONS, lang_of, tutor_of
from bot.cogs.lessons import find_lesson, lesson_autocomplete
from bot.cogs.texts import Both, say, short
from bot.cogs.views import (
    QUIZ_VIEW_TIMEOUT,
    AnswerModal,
    QuizChoice,
    QuizTypedAnswer,
    TimedView,
    attach_to_interaction,
    stale,
)
from bot.content.schema import AnyQuestion, CodeOutput, MultipleChoice, TrueFalse
from bot.errors import InvalidRequest, NotFound, TutorError
from bot.quiz.session import MAX_QUESTIONS
from bot.quiz.views import Feedback, QuestionView

DEFAULT_COUNT = 5
# continuation lines of an option sit under its text (em spaces: Discord keeps them, unlike plain ones)
OPTION_INDENT = "\u2003\u2003"
NUMERIC = re.compile(r"[+-]?\d+(?:[.,]\d*)?")


def question_embed(qv: QuestionView, lang: str, catalog: Any) -> discord.Embed:
    """The question: prompt, code, options, and where the learner is in the quiz."""
    question = qv.question
    topic: Any
    try:
        topic = catalog.lesson(qv.lesson_id).title  # filled in per language: the title is one line
    except NotFound:
        topic = qv.lesson_id
    body = render.text(question.prompt, lang)
    if isinstance(question, CodeOutput):
        body += f"\n```python\n{question.code}\n```"
    if isinstance(question, MultipleChoice | CodeOutput):
        body += "\n" + "\n".join(option_line(o.id, o.text, lang) for o in question.options)
    out = render.embed(short("quiz.title", lang, topic=topic), body, render.TEAL)
    out.set_footer(text=f"{short('quiz.question_of', lang, n=qv.number, total=qv.total)} · ✅ {qv.score}")
    return out


def option_line(option_id: str, value: Any, lang: str) -> str:
    """One answer option, lettered like its button (A–D); in 'both' the English line under the Hindi."""
    head = f"**{option_id.upper()}**) "
    lines = render.text(value, lang).split("\n")
    return "\n".join([head + lines[0], *(OPTION_INDENT + line for line in lines[1:])])


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


def right_answer(fb: Feedback, question: AnyQuestion | None) -> Any:
    """The right answer as the learner saw it: an option with its button's letter ("**C**) …"), True /
    False with the buttons' words, else the core's wording; in both languages."""
    if isinstance(question, MultipleChoice | CodeOutput):
        option = next(o for o in question.options if o.id == question.answer)
        return Both(
            hi=option_line(option.id, option.text, "hi"), en=option_line(option.id, option.text, "en")
        )
    if isinstance(question, TrueFalse):
        key = "quiz.true" if question.answer else "quiz.false"
        return render.both_languages(key)
    return fb.correct_answer


def feedback_embed(fb: Feedback, lang: str, catalog: Any = None) -> discord.Embed:
    """Right or wrong, the right answer, why, and the score so far (`catalog`: to letter the answer)."""
    if fb.skipped:
        title, colour = short("quiz.skipped", lang), render.GOLD
    elif fb.correct:
        title, colour = short("quiz.correct", lang), render.GREEN
    else:
        title, colour = short("quiz.wrong", lang), render.RED
    lines = []
    if not fb.correct:
        lines.append(say("quiz.right_answer", lang, answer=right_answer(fb, _answered(catalog, fb))))
        if fb.why_wrong is not None:
            lines.append(render.text(fb.why_wrong, lang))
    lines.append(render.text(fb.explanation, lang))
    out = render.embed(title, "\n\n".join(lines), colour)
    footer = f"✅ {fb.score}/{fb.answered}"
    if fb.xp:
        footer += f" · +{fb.xp} XP"
    out.set_footer(text=footer)
    return out


def _answered(catalog: Any, fb: Feedback) -> AnyQuestion | None:
    """The question `fb` answers (None without a catalog, or when a reload removed it)."""
    if catalog is None:
        return None
    try:
        question: AnyQuestion = catalog.question(fb.question_id)
    except NotFound:
        return None
    return question


def final_embed(fb: Feedback, lang: str) -> discord.Embed:
    """The score at the end."""
    missed = fb.total - fb.score
    hint = say("quiz_review_hint", lang, n=missed) if missed else ""
    return render.embed(short("quiz.finished", lang, score=fb.score, total=fb.total), hint, render.GOLD)


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
    embeds = [feedback_embed(fb, lang, tutor.catalog)]
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
        fb = await tutor.quiz.skip(session, interaction.user.id, position + 1)
    else:
        given = {"t": "true", "f": "false"}.get(choice, choice)
        fb = await tutor.quiz.answer(session, interaction.user.id, given, position + 1)
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
    fb = await tutor_of(interaction).quiz.answer(session, interaction.user.id, given, position + 1)
    await _after_answer(interaction, fb, lang)


def check_count(catalog: Any, topic: str | None, count: int | None) -> None:
    """Refuse a number of questions outside 1..MAX_QUESTIONS, before anything starts.

    Slash options are bounded by Discord; free text ("quiz 0", "quiz me 50 questions") is not: a count
    the router could not take (0, 500, 2.5) arrives as a topic that is only a number and names no lesson.
    """
    out_of_range = count is not None and not 1 <= count <= MAX_QUESTIONS
    numeric_topic = topic is not None and NUMERIC.fullmatch(topic.strip()) is not None
    if out_of_range or (numeric_topic and topic is not None and catalog.find_lesson(topic) is None):
        raise InvalidRequest(
            "quiz_bad_count",
            say("quiz_bad_count", "en", max=MAX_QUESTIONS),
            say("quiz_bad_count", "hi", max=MAX_QUESTIONS),
        )


async def start_quiz(
    tutor: Any, bot: Any, user: discord.abc.User, topic: str | None, count: int | None, lang: str
) -> render.Answer:
    """Start a quiz (or resume the active one when no topic and no count are given)."""
    check_count(tutor.catalog, topic, count)
    if topic is None and count is None:
        active = await tutor.quiz.active_session(user.id)
        if active is not None:
            return question_answer(active, user.id, lang, bot, tutor.catalog)
    lesson_id = find_lesson(tutor.catalog, topic).id if topic else None
    qv = await tutor.quiz.start(
        user.id, lesson_id, DEFAULT_COUNT if count is None else count, display_name=user.display_name
    )
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
        count: Range[int, 1, MAX_QUESTIONS] | None = None,
    ) -> None:
        lang = await lang_of(interaction)
        answer = await start_quiz(tutor_of(interaction), self.bot, interaction.user, topic, count, lang)
        await interaction.response.send_message(**answer.kwargs())
        attach_to_interaction(answer.view, interaction)


async def setup(bot: commands.Bot) -> None:
    """Add the quiz cog."""
    await bot.add_cog(Quiz(bot))
