"""The quiz session engine: start, answer, skip, finish. No Discord; every step is a database transaction,
so a restart in the middle of a quiz loses nothing and the learner continues where they were."""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Table, bindparam, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.content.schema import Question
from bot.db import repository
from bot.db.base import UTCDateTime, utcnow
from bot.db.models import QuizAnswer, QuizSession, ReviewCard
from bot.errors import InvalidRequest, NotFound
from bot.i18n import Bilingual
from bot.progress import xp
from bot.quiz.bank import QuestionBank, asked_in, every_question, find_question, questions_of, server_of
from bot.quiz.grading import correct_answer, grade
from bot.quiz.review import ReviewService
from bot.quiz.views import Feedback, QuestionView, Summary

MAX_QUESTIONS = 20
REVIEW_SLACK = 20  # due cards read beyond the batch, for those of questions asked in other servers
ACTIVE, FINISHED, ABANDONED = "active", "finished", "abandoned"
__all__ = [
    "ABANDONED",
    "ACTIVE",
    "FINISHED",
    "MAX_QUESTIONS",
    "QuizService",
    "session_not_found",
    "session_over",
]


def session_not_found(session_id: int) -> NotFound:
    """The domain error for a quiz that does not exist (or belongs to someone else)."""
    return NotFound("quiz.session_not_found", session_id=session_id)


def session_over(session_id: int) -> InvalidRequest:
    """The domain error for answering a quiz that is finished or was replaced by a newer one."""
    return InvalidRequest("quiz.session_over", session_id=session_id)


def _stale(session_id: int) -> InvalidRequest:
    return InvalidRequest("quiz.already_answered", session_id=session_id)


class QuizService:
    """Quiz sessions for learners, over a `QuestionBank` (the content catalog)."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        bank: QuestionBank,
        review: ReviewService | None = None,
        clock: Callable[[], datetime] = utcnow,
        rng: random.Random | None = None,
    ) -> None:
        self._sessions = sessions
        self._bank = bank
        self._review = review or ReviewService(sessions, clock=clock)
        self._clock = clock
        self._rng = rng or random.Random()
        self._said: dict[str, Bilingual] = {}

    @property
    def review(self) -> ReviewService:
        """The review-card service this quiz updates."""
        return self._review

    async def start(
        self,
        learner_id: int,
        lesson_id: str | None = None,
        count: int = 5,
        display_name: str | None = None,
        guild_id: int | None = None,
        extra: Sequence[tuple[str, Question]] = (),
    ) -> QuestionView:
        """A new quiz of `count` shuffled questions from one lesson (or all, when None), taken in server
        `guild_id`; `extra` are (lesson id, question) pairs that server adds (its teacher's questions).
        Returns question 1.

        An unfinished quiz of the same learner is abandoned: a learner has one active quiz.
        """
        _check_count(count)
        if lesson_id is None:
            pool = every_question(self._bank)
        else:
            pool = [(lesson_id, q) for q in questions_of(self._bank, lesson_id)]
        pool += [(lid, q) for lid, q in extra if lesson_id is None or lid == lesson_id]
        if not pool:
            raise NotFound("quiz.no_questions", lesson_id=lesson_id)
        chosen = self._rng.sample(pool, min(count, len(pool)))  # without replacement: no repeats
        pairs = [[lid, q.id] for lid, q in chosen]
        mode = "mixed" if lesson_id is None else "lesson"
        return await self._create(learner_id, mode, lesson_id, pairs, display_name, guild_id)

    async def start_review(
        self,
        learner_id: int,
        count: int = 10,
        display_name: str | None = None,
        guild_id: int | None = None,
    ) -> QuestionView:
        """A review quiz over the cards due now, most overdue first, taken in server `guild_id`: a card of
        a question another server's teacher uploaded waits for that server. NotFound when nothing is due."""
        _check_count(count)
        # a few more than needed: cards of other servers' questions are passed over
        due = await self._review.due(learner_id, self._clock(), limit=count + REVIEW_SLACK)
        pairs = []
        for card in due:
            if not asked_in(card.question_id, guild_id):
                continue
            try:
                find_question(self._bank, card.question_id)
            except NotFound:
                continue  # the content dropped this question; its card simply waits
            pairs.append([card.lesson_id, card.question_id])
        if not pairs:
            raise NotFound("review.nothing_due")
        return await self._create(learner_id, "review", None, pairs[:count], display_name, guild_id)

    async def _create(
        self,
        learner_id: int,
        mode: str,
        lesson_id: str | None,
        pairs: list[list[str]],
        name: str | None,
        guild_id: int | None,
    ) -> QuestionView:
        now = self._clock()
        async with self._sessions() as db, db.begin():
            await repository.ensure_learner(db, learner_id, name, now)
            # A learner has one active quiz: starting another abandons the unfinished one.
            await db.execute(
                update(QuizSession)
                .where(QuizSession.learner_id == learner_id, QuizSession.status == ACTIVE)
                .values(status=ABANDONED, finished_at=now)
                .execution_options(synchronize_session=False)
            )
            # Which questions already have a review card: the answer path then skips a lookup.
            carded = set(
                await db.scalars(select(ReviewCard.question_id).where(ReviewCard.learner_id == learner_id))
            )
            quiz = QuizSession(
                learner_id=learner_id,
                guild_id=guild_id,
                mode=mode,
                lesson_id=lesson_id,
                questions=[[lesson, qid, int(qid in carded)] for lesson, qid in pairs],
                position=0,
                correct=0,
                skipped=0,
                xp=0,
                status=ACTIVE,
                started_at=now,
                shown_at=now,
            )
            db.add(quiz)
            await db.flush()
            return self._view(quiz)

    async def current(self, session_id: int, learner_id: int) -> QuestionView:
        """The question to answer now; InvalidRequest when the quiz is over."""
        async with self._sessions() as db:
            quiz = await self._load(db, session_id, learner_id)
            _require_active(quiz)
            return self._view(quiz)

    async def active_session(self, learner_id: int) -> QuestionView | None:
        """The learner's unfinished quiz at its current question (to resume), or None."""
        async with self._sessions() as db:
            quiz = (
                await db.scalars(
                    select(QuizSession)
                    .where(QuizSession.learner_id == learner_id, QuizSession.status == ACTIVE)
                    .order_by(QuizSession.id.desc())
                    .limit(1)
                )
            ).first()
            return self._view(quiz) if quiz is not None else None

    async def answer(self, session_id: int, learner_id: int, given: str, number: int | None) -> Feedback:
        """Grade `given` for question `number` (1-based, as shown), record it, and move on.

        An answer meant for another question than the current one (a double click, a second device)
        is refused with `quiz.already_answered`; `None` means "the current question" and is only for
        callers that cannot know which question the learner saw.
        """
        return await self._advance(session_id, learner_id, given, number)

    async def skip(self, session_id: int, learner_id: int, number: int | None) -> Feedback:
        """Skip question `number` (recorded, counted as not known, and scheduled for review)."""
        return await self._advance(session_id, learner_id, None, number)

    async def _advance(
        self, session_id: int, learner_id: int, given: str | None, number: int | None
    ) -> Feedback:
        """Grade and record one answer (or skip) in one transaction: the bot's hot path.

        Every check that can refuse the answer runs before the first write; the position update is
        guarded on the position read, so of two concurrent answers to one question exactly one counts.
        """
        now = self._clock()
        async with self._sessions() as db, db.begin():
            quiz = (await db.execute(_STATE, {"p_id": session_id})).first()
            if quiz is None or quiz.learner_id != learner_id:
                raise session_not_found(session_id)
            if quiz.status != ACTIVE or quiz.position >= len(quiz.questions):
                raise session_over(session_id)
            position = quiz.position
            if number is not None and number != position + 1:
                raise _stale(session_id)
            lesson_id, qid, *hint = quiz.questions[position]
            question = find_question(self._bank, qid)
            result = grade(question, given) if given is not None else None  # InvalidRequest: nothing recorded
            correct = bool(result and result.correct)
            skipped = given is None
            seconds = max(0.0, (now - quiz.shown_at).total_seconds())
            last = position + 1 >= len(quiz.questions)
            score = quiz.correct + int(correct)
            bonus = xp.quiz_finish_xp(score, len(quiz.questions)) if last else 0
            earned = (xp.XP["correct_answer"] if correct else 0) + bonus
            moved = await db.execute(
                _MOVE,
                {
                    "p_id": session_id,
                    "p_seen": position,
                    "p_next": position + 1,
                    "p_correct": int(correct),
                    "p_skipped": int(skipped),
                    "p_xp": earned,
                    "p_now": now,
                    "p_status": FINISHED if last else ACTIVE,
                    "p_finished": now if last else None,
                },
            )
            if repository.rows_changed(moved) != 1:
                raise _stale(session_id)  # a concurrent answer moved it first
            answer = {
                "session_id": session_id,
                "learner_id": learner_id,
                "guild_id": quiz.guild_id,
                "position": position,
                "lesson_id": lesson_id,
                "question_id": qid,
                "given": given,
                "correct": correct,
                "skipped": skipped,
                "seconds": seconds,
                "answered_at": now,
            }
            await db.execute(_ANSWER, answer)
            where = quiz.guild_id
            if correct:
                await xp.award(
                    db, learner_id, "correct_answer", now, ref=f"quiz:{session_id}", guild_id=where
                )
            if bonus:
                await xp.award(
                    db,
                    learner_id,
                    "quiz_finished",
                    now,
                    ref=f"quiz:{session_id}",
                    once=True,
                    amount=bonus,
                    guild_id=where,
                )
            await self._review.record(
                db,
                learner_id,
                lesson_id,
                qid,
                correct=correct,
                skipped=skipped,
                seconds=seconds,
                now=now,
                has_card=bool(hint[0]) if hint else None,
            )
        chosen = result.chosen if result else None
        after = _After(session_id, quiz.mode, position + 1, quiz.questions, score)
        return Feedback(
            session_id=session_id,
            question_id=question.id,
            correct=correct,
            skipped=skipped,
            correct_answer=self._answer_text(question),
            explanation=question.explanation,
            why_wrong=chosen.why_wrong if chosen is not None and not correct else None,
            score=after.correct,
            answered=after.position,
            total=len(after.questions),
            xp=earned,
            finished=last,
            next=None if last else self._view(after),
        )

    def _answer_text(self, question: Question) -> Bilingual:
        """The right answer in both languages, computed once per built-in question (an uploaded one may
        be replaced by a new upload under the same id, so it is computed each time)."""
        if server_of(question.id) is not None:
            return _answer_text(question)
        said = self._said.get(question.id)
        if said is None:
            said = self._said[question.id] = _answer_text(question)
        return said

    async def finish(self, session_id: int, learner_id: int) -> Summary:
        """End the quiz now (unanswered questions stay unanswered) and sum it up; repeatable."""
        now = self._clock()
        async with self._sessions() as db, db.begin():
            quiz = await self._load(db, session_id, learner_id)
            # Stopping early earns no "quiz finished" XP (that comes with the last answer).
            if quiz.status == ACTIVE:
                quiz.status = FINISHED
                quiz.finished_at = now
            return _summary(quiz)

    async def summary(self, session_id: int, learner_id: int) -> Summary:
        """The state of a quiz, finished or not."""
        async with self._sessions() as db:
            return _summary(await self._load(db, session_id, learner_id))

    @staticmethod
    async def _load(db: AsyncSession, session_id: int, learner_id: int) -> QuizSession:
        quiz = await db.get(QuizSession, session_id, populate_existing=True)
        # Someone else's quiz is reported as missing: ids must not reveal other learners' quizzes.
        if quiz is None or quiz.learner_id != learner_id:
            raise session_not_found(session_id)
        return quiz

    def _view(self, quiz: QuizSession | _After) -> QuestionView:
        lesson_id, qid = quiz.questions[quiz.position][:2]
        return QuestionView(
            session_id=quiz.id,
            mode=quiz.mode,
            lesson_id=lesson_id,
            number=quiz.position + 1,
            total=len(quiz.questions),
            score=quiz.correct,
            question=find_question(self._bank, qid),
        )


# The answer path's statements, built once (Core: no ORM bookkeeping on the hot path).
_SESSIONS: Table = QuizSession.__table__  # type: ignore[assignment]
_STATE = select(
    _SESSIONS.c.learner_id,
    _SESSIONS.c.guild_id,
    _SESSIONS.c.mode,
    _SESSIONS.c.status,
    _SESSIONS.c.position,
    _SESSIONS.c.questions,
    _SESSIONS.c.shown_at,
    _SESSIONS.c.correct,
).where(_SESSIONS.c.id == bindparam("p_id"))
# Guarded on the position read: a double click or a second device changes no row. (Parameters are
# named p_*: SQLAlchemy reserves a table's column names for the SET clause.)
_MOVE = (
    update(_SESSIONS)
    .where(
        _SESSIONS.c.id == bindparam("p_id"),
        _SESSIONS.c.position == bindparam("p_seen"),
        _SESSIONS.c.status == ACTIVE,
    )
    .values(
        position=bindparam("p_next"),
        correct=_SESSIONS.c.correct + bindparam("p_correct"),
        skipped=_SESSIONS.c.skipped + bindparam("p_skipped"),
        xp=_SESSIONS.c.xp + bindparam("p_xp"),
        shown_at=bindparam("p_now", type_=UTCDateTime()),
        status=bindparam("p_status"),
        finished_at=bindparam("p_finished", type_=UTCDateTime()),
    )
)
_ANSWERS: Table = QuizAnswer.__table__  # type: ignore[assignment]
_ANSWER = insert(_ANSWERS)


@dataclass(frozen=True)
class _After:
    """A quiz session as an answer left it (what the next question's view needs)."""

    id: int
    mode: str
    position: int
    questions: list[list[Any]]
    correct: int


def _check_count(count: int) -> None:
    if not 1 <= count <= MAX_QUESTIONS:
        raise InvalidRequest("quiz.bad_count", max=MAX_QUESTIONS, count=count)


def _require_active(quiz: QuizSession) -> None:
    if quiz.status != ACTIVE or quiz.position >= len(quiz.questions):
        raise session_over(quiz.id)


def _answer_text(question: Question) -> Bilingual:
    return Bilingual(en=correct_answer(question, "en"), hi=correct_answer(question, "hi"))


def _summary(quiz: QuizSession) -> Summary:
    return Summary(
        session_id=quiz.id,
        mode=quiz.mode,
        lesson_id=quiz.lesson_id,
        status=quiz.status,
        total=len(quiz.questions),
        answered=quiz.position,
        correct=quiz.correct,
        skipped=quiz.skipped,
        xp=quiz.xp,
        started_at=quiz.started_at,
        finished_at=quiz.finished_at,
    )
