"""Quizzes and review: start (or resume), answer, skip, stop; one question at a time with feedback.

Every answer names the question it answers (its 1-based number), so a double click or an old button
never grades an answer against the next question.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime

from bot.content.schema import AnyQuestion, CodeOutput, MultipleChoice, Numeric, TrueFalse
from bot.core.learners import Learner
from bot.core.lessons import find_lesson
from bot.core.replies import Action, AnswerKind, Card, QuizPlace, Reply, notice
from bot.core.threads import in_own_thread
from bot.core.tutor import Tutor
from bot.errors import InvalidRequest, NotFound, TutorError
from bot.i18n import Bilingual, say, tr
from bot.quiz.session import MAX_QUESTIONS
from bot.quiz.views import Feedback, QuestionView

DEFAULT_COUNT = 5
REVIEW_BATCH = 10
# continuation lines of an option sit under its text (em spaces: Discord keeps them, unlike plain ones)
OPTION_INDENT = "\u2003\u2003"
NUMERIC = re.compile(r"[+-]?\d+(?:[.,]\d*)?")
HOUR, DAY = 3600.0, 86400.0


def check_count(tutor: Tutor, topic: str | None, count: int | None) -> None:
    """Refuse a number of questions outside 1..MAX_QUESTIONS before anything starts.

    Slash options are bounded by Discord; free text ("quiz 0", "quiz me 50 questions") is not: a count
    the router could not take (0, 500, 2.5) arrives as a topic that is only a number and names no lesson.
    """
    out_of_range = count is not None and not 1 <= count <= MAX_QUESTIONS
    numeric_topic = topic is not None and NUMERIC.fullmatch(topic.strip()) is not None
    if out_of_range or (numeric_topic and topic is not None and tutor.catalog.find_lesson(topic) is None):
        raise InvalidRequest("quiz_bad_count", max=MAX_QUESTIONS)


async def start_quiz(tutor: Tutor, learner: Learner, topic: str | None, count: int | None) -> Reply:
    """A new quiz on a lesson (mixed without a topic); with neither topic nor count, the unfinished one."""
    check_count(tutor, topic, count)
    if topic is None and count is None:
        active = await tutor.quiz.active_session(learner.id)
        if active is not None:
            return question_reply(tutor, learner, active)
    lesson_id = find_lesson(tutor, topic).id if topic else None
    view = await tutor.quiz.start(
        learner.id,
        lesson_id,
        DEFAULT_COUNT if count is None else count,
        display_name=learner.name,
        guild_id=learner.guild_id,
        extra=tutor.bank.of_server(learner.guild_id, lesson_id),  # the server teacher's own questions
    )
    return in_own_thread(learner, question_reply(tutor, learner, view))


async def quiz_on_lesson(tutor: Tutor, learner: Learner, lesson_id: str) -> Reply:
    """A new quiz on the lesson with this id ("Quiz this lesson" at a lesson's end); a lesson a reload
    removed is a stale button."""
    try:
        tutor.catalog.lesson(lesson_id)
    except NotFound:
        raise InvalidRequest("stale_button") from None
    view = await tutor.quiz.start(learner.id, lesson_id, DEFAULT_COUNT, display_name=learner.name)
    return question_reply(tutor, learner, view)


async def resume_quiz(tutor: Tutor, learner: Learner) -> Reply | None:
    """The learner's unfinished quiz at its current question, or None."""
    active = await tutor.quiz.active_session(learner.id)
    return None if active is None else question_reply(tutor, learner, active)


# what the quiz service says when an answer's question is no longer the one asked
MOVED_ON = frozenset({"quiz.session_over", "quiz.already_answered", "quiz.session_not_found"})


async def answer(tutor: Tutor, learner: Learner, session_id: int, number: int, given: str) -> Reply:
    """Grade `given` as the answer to question `number`; the feedback, then the next question or the end.
    A malformed answer (a word for a number) is refused and nothing is recorded; an answer to a question
    the quiz has moved past (a double click, an old button) is refused as stale."""
    try:
        feedback = await tutor.quiz.answer(session_id, learner.id, given, number)
    except TutorError as error:
        if error.code in MOVED_ON:
            raise InvalidRequest("stale_button") from error
        raise
    return await _after(tutor, learner, feedback)


async def skip(tutor: Tutor, learner: Learner, session_id: int, number: int) -> Reply:
    """Skip question `number` (counted as not known and scheduled for review); stale like `answer`."""
    try:
        feedback = await tutor.quiz.skip(session_id, learner.id, number)
    except TutorError as error:
        if error.code in MOVED_ON:
            raise InvalidRequest("stale_button") from error
        raise
    return await _after(tutor, learner, feedback)


async def stop_quiz(tutor: Tutor, learner: Learner, session_id: int | None) -> Reply:
    """End the quiz now: the score so far."""
    if session_id is None:
        raise InvalidRequest("quiz_not_running")
    summary = await tutor.quiz.finish(session_id, learner.id)
    return Reply(
        note=say("quiz.stopped", learner.lang, score=summary.correct, answered=summary.answered),
        quiz_over=True,
        private=learner.private,
    )


async def typed_question(tutor: Tutor, learner: Learner, session_id: int, number: int) -> str:
    """The prompt of question `number` when it is the one to answer now (for a typed-answer box);
    InvalidRequest "stale_button" when the quiz has moved on."""
    try:
        view = await tutor.quiz.current(session_id, learner.id)
    except TutorError:
        raise InvalidRequest("stale_button") from None
    if view.number != number:
        raise InvalidRequest("stale_button")
    return view.question.prompt.pick(learner.lang)


async def review(tutor: Tutor, learner: Learner) -> Reply:
    """The due review cards asked like a quiz (most overdue first); when nothing is due, how many cards
    wait and when the next one comes."""
    try:
        view = await tutor.quiz.start_review(
            learner.id, REVIEW_BATCH, display_name=learner.name, guild_id=learner.guild_id
        )
    except NotFound as error:
        if error.code != "review.nothing_due":
            raise
        count, due = await tutor.review.outlook(learner.id)
        return notice(outlook_text(count, due, learner.lang), private=True)
    reply = question_reply(tutor, learner, view)
    return in_own_thread(learner, reply.with_note(say("review.due", learner.lang, count=view.total)))


def wait_text(seconds: float) -> Bilingual:
    """How long until a card is due ("7 min", "3 h", "2 day(s)")."""
    if seconds < HOUR:
        return tr("review.wait_minutes", n=max(1, math.ceil(seconds / 60)))
    if seconds < 2 * DAY:
        return tr("review.wait_hours", n=round(seconds / HOUR))
    return tr("review.wait_days", n=round(seconds / DAY))


def outlook_text(count: int, due: datetime | None, lang: str, now: datetime | None = None) -> str:
    """Nothing is due: cards scheduled and when the earliest comes (`<t:…:f>` is a time each front door
    shows in the reader's own zone), or that there are none."""
    if not count or due is None:
        return say("review.empty", lang)
    when = due if due.tzinfo else due.replace(tzinfo=UTC)
    seconds = max(0.0, (when - (now or datetime.now(UTC))).total_seconds())
    at = f"<t:{math.ceil(when.timestamp())}:f>"
    return say("review.scheduled", lang, count=count, wait=wait_text(seconds), at=at)


# ----------------------------------------------------------------------------------------- replies
def _answer_kind(question: AnyQuestion) -> AnswerKind:
    if isinstance(question, MultipleChoice | CodeOutput):
        return "choice"
    if isinstance(question, TrueFalse):
        return "true_false"
    return "number" if isinstance(question, Numeric) else "text"


def option_line(option_id: str, text: Bilingual | str, lang: str) -> str:
    """One answer option, lettered like its button (A–D); later lines (in 'both', the English) indented."""
    shown = text if isinstance(text, str) else text.pick(lang)
    lines = shown.split("\n")
    return "\n".join([f"**{option_id.upper()}**) {lines[0]}", *(OPTION_INDENT + line for line in lines[1:])])


def question_reply(tutor: Tutor, learner: Learner, view: QuestionView) -> Reply:
    """The question to answer now: prompt, code, options, place in the quiz, and its buttons."""
    return Reply(
        cards=(_question_card(tutor, learner.lang, view),),
        actions=_question_actions(learner.lang, view),
        owner=learner.id,
        expiry_note=say("quiz.expired", learner.lang),
        quiz=QuizPlace(view.session_id, view.number, _answer_kind(view.question)),
        private=learner.private,  # a learner who asked for quiet quizzes
    )


def question_body(question: AnyQuestion, lang: str) -> str:
    """A question as a learner reads it: the prompt, its code, and its options one per line."""
    body = question.prompt.pick(lang)
    if isinstance(question, CodeOutput):
        body += f"\n```python\n{question.code}\n```"
    if isinstance(question, MultipleChoice | CodeOutput):
        body += "\n" + "\n".join(option_line(o.id, o.text, lang) for o in question.options)
    return body


def lesson_title(tutor: Tutor, lesson_id: str, lang: str) -> str:
    """A lesson's title in `lang` (one line), or its id when the content no longer has it."""
    try:
        return tutor.catalog.lesson(lesson_id).title.pick(lang, one_line=True)
    except NotFound:  # content reloaded without it
        return lesson_id


def _question_card(tutor: Tutor, lang: str, view: QuestionView) -> Card:
    question = view.question
    topic = lesson_title(tutor, view.lesson_id, lang)
    body = question_body(question, lang)
    place = tr("quiz.question_of", n=view.number, total=view.total).pick(lang, one_line=True)
    return Card(
        title=tr("quiz.title", topic=topic).pick(lang, one_line=True),
        body=body,
        footer=f"{place} · ✅ {view.score}",
        tone="quiz",
    )


def _question_actions(lang: str, view: QuestionView) -> tuple[Action, ...]:
    question, session, number = view.question, view.session_id, view.number
    buttons: list[Action] = []
    if isinstance(question, MultipleChoice | CodeOutput):
        buttons += [Action("quiz.choice", o.id.upper(), (session, number, o.id)) for o in question.options]
    elif isinstance(question, TrueFalse):
        # both the same colour: a red "False" would read as "wrong" before anyone answers
        for choice, key in (("t", "quiz.true"), ("f", "quiz.false")):
            buttons.append(
                Action("quiz.choice", tr(key).pick(lang, one_line=True), (session, number, choice))
            )
    else:
        label = tr("quiz.answer_button").pick(lang, one_line=True)
        buttons.append(Action("quiz.typed", label, (session, number), "success", "✍️"))
    skip_label = tr("quiz.skip_button").pick(lang, one_line=True)
    buttons.append(Action("quiz.choice", skip_label, (session, number, "skip"), "secondary", "⏭️"))
    return tuple(buttons)


def _right_answer(feedback: Feedback, question: AnyQuestion | None) -> Bilingual:
    """The right answer as the learner saw it, per language (so in 'both' each line names it in its own
    language): the option with its letter, True/False with the buttons' words, else the grader's wording."""
    if isinstance(question, MultipleChoice | CodeOutput):
        option = next(o for o in question.options if o.id == question.answer)
        return Bilingual(
            en=option_line(option.id, option.text, "en"), hi=option_line(option.id, option.text, "hi")
        )
    if isinstance(question, TrueFalse):
        return tr("quiz.true" if question.answer else "quiz.false")
    answer: Bilingual = feedback.correct_answer
    return answer


def feedback_card(tutor: Tutor, lang: str, feedback: Feedback) -> Card:
    """Right, wrong or skipped: the right answer as it was shown, why the pick was wrong, the explanation."""
    if feedback.skipped:
        title, tone = "quiz.skipped", "skipped"
    elif feedback.correct:
        title, tone = "quiz.correct", "success"
    else:
        title, tone = "quiz.wrong", "failure"
    try:
        question: AnyQuestion | None = tutor.bank.question(feedback.question_id)
    except NotFound:  # content reloaded (or an upload removed) without it: the grader's wording
        question = None
    lines = []
    if not feedback.correct:
        lines.append(say("quiz.right_answer", lang, answer=_right_answer(feedback, question)))
        if feedback.why_wrong is not None:
            lines.append(feedback.why_wrong.pick(lang))
    lines.append(feedback.explanation.pick(lang))
    footer = f"✅ {feedback.score}/{feedback.answered}" + (f" · +{feedback.xp} XP" if feedback.xp else "")
    return Card(
        title=tr(title).pick(lang, one_line=True),
        body="\n\n".join(lines),
        footer=footer,
        tone=tone,  # type: ignore[arg-type]
    )


async def _after(tutor: Tutor, learner: Learner, feedback: Feedback) -> Reply:
    """Feedback on the answer, then the next question, or the final score with a pointer to review.
    The feedback reveals the question's answer, so it is for the learner alone even in a public quiz."""
    card = feedback_card(tutor, learner.lang, feedback)
    if feedback.next is not None:
        following = question_reply(tutor, learner, feedback.next)
        return Reply(
            private_cards=(card,),
            cards=following.cards,
            actions=following.actions,
            owner=learner.id,
            expiry_note=following.expiry_note,
            quiz=following.quiz,
            private=learner.private,
        )
    missed = feedback.total - feedback.score
    summary = await tutor.quiz.summary(feedback.session_id, learner.id)
    final = Card(
        title=tr("quiz.finished_xp", score=summary.correct, total=summary.total, xp=summary.xp).pick(
            learner.lang, one_line=True
        ),
        body=say("quiz.review_hint", learner.lang, n=missed) if missed else "",
        tone="progress",
    )
    return Reply(
        private_cards=(card,), cards=(final,), owner=learner.id, quiz_over=True, private=learner.private
    )
