"""The quiz session engine: start, answer, skip, finish. No Discord; every step is a database transaction,
so a restart in the middle of a quiz loses nothing and the learner continues where they were."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.content.schema import Question
from bot.db import repository
from bot.db.base import utcnow
from bot.db.models import QuizSession
from bot.db.prepared import Tx
from bot.db.runner import Runner
from bot.errors import InvalidRequest, NotFound
from bot.progress import xp
from bot.quiz import store
from bot.quiz.bank import QuestionBank, every_question, find_question, questions_of
from bot.quiz.grading import Grade, correct_answer, grade
from bot.quiz.review import ReviewService
from bot.quiz.store import ABANDONED, ACTIVE, FINISHED, State
from bot.quiz.views import Feedback, QuestionView, Said, Summary

MAX_QUESTIONS = 20
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
        self._said: dict[str, Said] = {}

    def close(self) -> None:
        """Release the SQLite answer thread and its connection (call before disposing the engine)."""
        self._runner.close()

    @property
    def runner(self) -> Runner:
        """The runner of this quiz's units of work (its counters show how answers were grouped)."""
        return self._runner

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
        state = await self._runner.run(
            self._create_unit, learner_id, mode, lesson_id, pairs, name, self._clock()
        )
        return self._view(state)

    @staticmethod
    def _create_unit(
        tx: Tx,
        learner_id: int,
        mode: str,
        lesson_id: str | None,
        pairs: list[list[str]],
        name: str | None,
        now: datetime,
    ) -> State:
        repository.ensure_learner_tx(tx, learner_id, name, now)
        # Which questions already have a review card: the answer path then skips a lookup.
        carded = {qid for (qid,) in tx.rows(store.CARDED, {"p_learner": learner_id})}
        questions = [[lesson, qid, int(qid in carded)] for lesson, qid in pairs]
        tx.run(store.ABANDON, {"p_learner": learner_id, "p_now": now})
        row = tx.first(
            store.CREATE,
            {
                "learner_id": learner_id,
                "mode": mode,
                "lesson_id": lesson_id,
                "questions": questions,
                "position": 0,
                "correct": 0,
                "skipped": 0,
                "xp": 0,
                "status": ACTIVE,
                "started_at": now,
                "shown_at": now,
            },
        )
        assert row is not None
        return State(row[0], learner_id, mode, ACTIVE, 0, questions, now, 0)

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
        finished = step.after.status == FINISHED
        return Feedback(
            session_id=session_id,
            question_id=step.question.id,
            correct=step.correct,
            skipped=given is None,
            correct_answer=self._answer_text(step.question),
            explanation=step.question.explanation,
            why_wrong=chosen.why_wrong if chosen is not None and not step.correct else None,
            score=step.after.correct,
            answered=step.after.position,
            total=len(step.after.questions),
            xp=step.xp,
            finished=finished,
            next=None if finished else self._view(step.after),
        )

    def _answer_unit(
        self,
        tx: Tx,
        session_id: int,
        learner_id: int,
        given: str | None,
        number: int | None,
        now: datetime,
    ) -> _Step:
        """Grade and record one answer (or skip): the bot's hot path, a few prepared statements.

        Every check that can refuse the answer runs before the first write.
        """
        row = tx.first(store.STATE, {"p_id": session_id})
        if row is None or row[1] != learner_id:
            raise session_not_found(session_id)
        state = State(*row)
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
        moved = tx.run(
            store.MOVE,
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
        if moved != 1:
            raise _stale(session_id)  # another unit moved it first (PostgreSQL: a concurrent answer)
        tx.run(
            store.ANSWER,
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
            xp.award_tx(tx, learner_id, "correct_answer", now, ref=f"quiz:{session_id}")
        if last:
            xp.award_tx(tx, learner_id, "quiz_finished", now, ref=f"quiz:{session_id}", once=True)
        self._review.record(
            tx,
            learner_id,
            lesson_id,
            qid,
            correct=correct,
            skipped=skipped,
            seconds=seconds,
            now=now,
            has_card=bool(hint[0]) if hint else None,
        )
        after = State(
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

    def _answer_text(self, question: Question) -> Said:
        """The right answer in both languages, computed once per question."""
        said = self._said.get(question.id)
        if said is None:
            said = self._said[question.id] = _answer_text(question)
        return said

    async def finish(self, session_id: int, learner_id: int) -> Summary:
        """End the quiz now (unanswered questions stay unanswered) and sum it up; repeatable."""
        return await self._runner.run(_finish_unit, session_id, learner_id, self._clock())

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

    def _view(self, quiz: QuizSession | State) -> QuestionView:
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
class _Step:
    """What one answer changed."""

    after: State
    question: Question
    grade: Grade | None
    correct: bool
    xp: int


def _finish_unit(tx: Tx, session_id: int, learner_id: int, now: datetime) -> Summary:
    # Stopping early earns no "quiz finished" XP (that comes with the last answer).
    tx.run(store.FINISH, {"p_id": session_id, "p_learner": learner_id, "p_now": now})
    row = tx.first(store.SUMMARY, {"p_id": session_id})
    if row is None or row[1] != learner_id:
        raise session_not_found(session_id)
    return store.summary_of(row)


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
