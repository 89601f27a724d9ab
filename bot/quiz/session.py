"""The quiz session engine: start, answer, skip, finish. No Discord; every step is a database transaction,
so a restart in the middle of a quiz loses nothing and the learner continues where they were."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Table, bindparam, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import Session

from bot.content.schema import Question
from bot.db import repository
from bot.db.base import UTCDateTime, utcnow
from bot.db.models import QuizAnswer, QuizSession, ReviewCard
from bot.db.runner import Runner
from bot.errors import InvalidRequest, NotFound
from bot.progress import xp
from bot.quiz.bank import QuestionBank, every_question, find_question, questions_of
from bot.quiz.grading import Grade, correct_answer, grade
from bot.quiz.review import ReviewService
from bot.quiz.views import Feedback, QuestionView, Said, Summary

MAX_QUESTIONS = 20
ACTIVE, FINISHED, ABANDONED = "active", "finished", "abandoned"


def session_not_found(session_id: int) -> NotFound:
    """The domain error for a quiz that does not exist (or belongs to someone else)."""
    return NotFound(
        "quiz.session_not_found",
        "I can't find that quiz. Start a new one with /quiz.",
        "यह quiz नहीं मिला। /quiz से नया शुरू करें।",
        session_id=session_id,
    )


def session_over(session_id: int) -> InvalidRequest:
    """The domain error for answering a quiz that is finished or was replaced by a newer one."""
    return InvalidRequest(
        "quiz.session_over",
        "This quiz is already over. Start a new one with /quiz.",
        "यह quiz ख़त्म हो चुका है। /quiz से नया शुरू करें।",
        session_id=session_id,
    )


def _stale(session_id: int) -> InvalidRequest:
    return InvalidRequest(
        "quiz.already_answered",
        "That question was already answered; here is the current one.",
        "इस question का जवाब पहले ही दिया जा चुका है; यह रहा अभी का question।",
        session_id=session_id,
    )


def _nothing_due() -> NotFound:
    return NotFound(
        "review.nothing_due",
        "Nothing to review right now. Well done!",
        "अभी review के लिए कुछ नहीं है। बहुत बढ़िया!",
    )


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
        self._runner = Runner(sessions)

    def close(self) -> None:
        """Release the SQLite answer thread and its connection (call before disposing the engine)."""
        self._runner.close()

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
    ) -> QuestionView:
        """A new quiz of `count` shuffled questions from one lesson (or all, when None); returns question 1.

        An unfinished quiz of the same learner is abandoned: a learner has one active quiz.
        """
        _check_count(count)
        if lesson_id is None:
            pool = every_question(self._bank)
        else:
            pool = [(lesson_id, q) for q in questions_of(self._bank, lesson_id)]
        if not pool:
            raise NotFound(
                "quiz.no_questions",
                "This lesson has no quiz questions yet.",
                "इस lesson में अभी कोई quiz question नहीं है।",
            )
        chosen = self._rng.sample(pool, min(count, len(pool)))  # without replacement: no repeats
        pairs = [[lid, q.id] for lid, q in chosen]
        mode = "mixed" if lesson_id is None else "lesson"
        return await self._create(learner_id, mode, lesson_id, pairs, display_name)

    async def start_review(
        self, learner_id: int, count: int = 10, display_name: str | None = None
    ) -> QuestionView:
        """A review quiz over the cards due now, most overdue first; NotFound when nothing is due."""
        _check_count(count)
        due = await self._review.due(learner_id, self._clock(), limit=count)
        pairs = []
        for card in due:
            try:
                find_question(self._bank, card.question_id)
            except NotFound:
                continue  # the content dropped this question; its card simply waits
            pairs.append([card.lesson_id, card.question_id])
        if not pairs:
            raise _nothing_due()
        return await self._create(learner_id, "review", None, pairs, display_name)

    async def _create(
        self, learner_id: int, mode: str, lesson_id: str | None, pairs: list[list[str]], name: str | None
    ) -> QuestionView:
        now = self._clock()
        async with self._sessions() as db, db.begin():
            await repository.ensure_learner(db, learner_id, name, now)
            # Which questions already have a review card: the answer path then skips a lookup.
            carded = set(
                await db.scalars(
                    select(ReviewCard.question_id).where(
                        ReviewCard.learner_id == learner_id,
                        ReviewCard.question_id.in_([qid for _, qid in pairs]),
                    )
                )
            )
            questions = [[lesson, qid, int(qid in carded)] for lesson, qid in pairs]
            await db.execute(
                update(QuizSession)
                .where(QuizSession.learner_id == learner_id, QuizSession.status == ACTIVE)
                .values(status=ABANDONED, finished_at=now)
            )
            quiz = QuizSession(
                learner_id=learner_id,
                mode=mode,
                lesson_id=lesson_id,
                questions=questions,
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

    async def answer(
        self, session_id: int, learner_id: int, given: str, number: int | None = None
    ) -> Feedback:
        """Grade `given` for the current question, record it, and move on.

        Pass the `number` of the question the learner saw (buttons do): an answer meant for an
        earlier question (a double click) is then refused instead of answering the next one.
        """
        return await self._advance(session_id, learner_id, given, number)

    async def skip(self, session_id: int, learner_id: int, number: int | None = None) -> Feedback:
        """Skip the current question (recorded, counted as not known, and scheduled for review)."""
        return await self._advance(session_id, learner_id, None, number)

    async def _advance(
        self, session_id: int, learner_id: int, given: str | None, number: int | None
    ) -> Feedback:
        step = await self._runner.run(self._answer_unit, session_id, learner_id, given, number, self._clock())
        chosen = step.grade.chosen if step.grade else None
        return Feedback(
            session_id=session_id,
            question_id=step.question.id,
            correct=step.correct,
            skipped=given is None,
            correct_answer=_answer_text(step.question),
            explanation=step.question.explanation,
            why_wrong=chosen.why_wrong if chosen is not None and not step.correct else None,
            score=step.after.correct,
            answered=step.after.position,
            total=len(step.after.questions),
            xp=step.xp,
            finished=step.after.status == FINISHED,
            next=None if step.after.status == FINISHED else self._view(step.after),
        )

    def _answer_unit(
        self,
        db: Session,
        session_id: int,
        learner_id: int,
        given: str | None,
        number: int | None,
        now: datetime,
    ) -> _Step:
        """Grade and record one answer (or skip): the bot's hot path, a few Core statements."""
        conn = db.connection()  # plain Core on the hot path: no ORM bookkeeping per statement
        row = conn.execute(_STATE, {"p_id": session_id}).one_or_none()
        if row is None or row.learner_id != learner_id:
            raise session_not_found(session_id)
        state = _State(*row)
        if state.status != ACTIVE or state.position >= len(state.questions):
            raise session_over(session_id)
        position = state.position
        if number is not None and number != position + 1:
            raise _stale(session_id)
        lesson_id, qid, *hint = state.questions[position]
        question = find_question(self._bank, qid)
        result = grade(question, given) if given is not None else None  # InvalidRequest: nothing recorded
        correct = bool(result and result.correct)
        skipped = given is None
        seconds = max(0.0, (now - state.shown_at).total_seconds())
        last = position + 1 >= len(state.questions)
        earned = xp.XP["correct_answer"] if correct else 0
        earned += xp.XP["quiz_finished"] if last else 0
        # Guarded on the position read above: a double click or a second device gets a domain
        # error here instead of a second answer to the same question.
        moved = conn.execute(
            _MOVE,
            {
                "p_id": session_id,
                "p_position": position,
                "p_next": position + 1,
                "p_correct": int(correct),
                "p_skipped": int(skipped),
                "p_xp": earned,
                "p_now": now,
                "p_status": FINISHED if last else ACTIVE,
                "p_finished": now if last else None,
            },
        )
        if moved.rowcount != 1:
            raise _stale(session_id)
        conn.execute(
            _ANSWER,
            {
                "session_id": session_id,
                "learner_id": learner_id,
                "position": position,
                "lesson_id": lesson_id,
                "question_id": qid,
                "given": given,
                "correct": correct,
                "skipped": skipped,
                "seconds": seconds,
                "answered_at": now,
            },
        )
        if correct:
            xp.award_sync(db, learner_id, "correct_answer", now, ref=f"quiz:{session_id}")
        if last:
            xp.award_sync(db, learner_id, "quiz_finished", now, ref=f"quiz:{session_id}", once=True)
        self._review.record(
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
        after = _State(
            session_id,
            learner_id,
            state.mode,
            FINISHED if last else ACTIVE,
            position + 1,
            state.questions,
            now,
            state.correct + int(correct),
        )
        return _Step(after=after, question=question, grade=result, correct=correct, xp=earned)

    async def finish(self, session_id: int, learner_id: int) -> Summary:
        """End the quiz now (unanswered questions stay unanswered) and sum it up; repeatable."""
        now = self._clock()
        async with self._sessions() as db, db.begin():
            quiz = await self._load(db, session_id, learner_id)
            if quiz.status == ACTIVE:
                # Stopping early earns no "quiz finished" XP (that comes with the last answer).
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

    def _view(self, quiz: QuizSession | _State) -> QuestionView:
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


@dataclass(frozen=True)
class _State:
    """The columns of a quiz session the answer path reads."""

    id: int
    learner_id: int
    mode: str
    status: str
    position: int
    questions: list[list[Any]]
    shown_at: datetime
    correct: int


@dataclass(frozen=True)
class _Step:
    """What one answer changed."""

    after: _State
    question: Question
    grade: Grade | None
    correct: bool
    xp: int


_SESSIONS: Table = QuizSession.__table__  # type: ignore[assignment]
_STATE = select(
    _SESSIONS.c.id,
    _SESSIONS.c.learner_id,
    _SESSIONS.c.mode,
    _SESSIONS.c.status,
    _SESSIONS.c.position,
    _SESSIONS.c.questions,
    _SESSIONS.c.shown_at,
    _SESSIONS.c.correct,
).where(_SESSIONS.c.id == bindparam("p_id"))
_MOVE = (
    update(_SESSIONS)
    .where(
        _SESSIONS.c.id == bindparam("p_id"),
        _SESSIONS.c.position == bindparam("p_position"),
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
_ANSWER = insert(QuizAnswer)


def _check_count(count: int) -> None:
    if not 1 <= count <= MAX_QUESTIONS:
        raise InvalidRequest(
            "quiz.bad_count",
            f"A quiz has 1 to {MAX_QUESTIONS} questions.",
            f"एक quiz में 1 से {MAX_QUESTIONS} questions हो सकते हैं।",
            count=count,
        )


def _require_active(quiz: QuizSession) -> None:
    if quiz.status != ACTIVE or quiz.position >= len(quiz.questions):
        raise session_over(quiz.id)


def _answer_text(question: Question) -> Said:
    return Said(en=correct_answer(question, "en"), hi=correct_answer(question, "hi"))


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
