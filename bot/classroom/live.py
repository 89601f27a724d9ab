"""A live class quiz: the teacher paces the questions, learners answer each within its time.

`LiveGame` is the game itself, in memory and without Discord (one per running quiz): which question is
open, who answered what, the scores. `LiveRecorder` writes each answer where every other answer goes (a
quiz session of mode "live" per learner, its answers, XP and review card), so a live quiz counts toward
each learner's progress, mastery and review like any quiz.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.content.schema import AnyQuestion, CodeOutput, MultipleChoice, TrueFalse
from bot.db import repository
from bot.db.base import utcnow
from bot.db.models import QuizAnswer, QuizSession
from bot.errors import InvalidRequest
from bot.progress import xp
from bot.quiz.grading import grade
from bot.quiz.review import ReviewService

LIVE, FINISHED = "live", "finished"
GRACE_SECONDS = 2.0  # an answer sent just as time ran out still counts (the click travelled meanwhile)
MIN_SECONDS, MAX_SECONDS = 10, 300
MAX_LIVE_QUESTIONS = 20
_ids = itertools.count(1)


def answerable_by_button(question: AnyQuestion) -> bool:
    """Whether a question can be answered with buttons (a live quiz asks only those)."""
    return isinstance(question, MultipleChoice | CodeOutput | TrueFalse)


@dataclass(frozen=True)
class LiveAnswer:
    """One learner's answer to one live question."""

    learner_id: int
    given: str
    correct: bool


@dataclass(frozen=True)
class Standing:
    """A place on the live scoreboard."""

    rank: int
    learner_id: int
    name: str
    score: int


@dataclass
class LiveGame:
    """One running live quiz."""

    guild_id: int
    teacher_id: int
    lesson_id: str
    questions: list[tuple[str, AnyQuestion]]  # (lesson id, question), in the order asked
    seconds: int
    lang: str  # the language of what the whole class reads (the teacher's)
    id: int = field(default_factory=lambda: next(_ids))
    index: int = -1  # the question asked last; -1 before the first
    open: bool = False
    opened_at: datetime | None = None
    answers: list[dict[int, LiveAnswer]] = field(default_factory=list)
    names: dict[int, str] = field(default_factory=dict)
    sessions: dict[int, int] = field(default_factory=dict)  # learner -> their quiz session of this game

    @property
    def total(self) -> int:
        """How many questions the quiz asks."""
        return len(self.questions)

    @property
    def over(self) -> bool:
        """Whether the last question has been asked and closed."""
        return self.index >= self.total - 1 and not self.open

    @property
    def current(self) -> AnyQuestion:
        """The question asked last."""
        return self.questions[self.index][1]

    def ask_next(self, now: datetime) -> int:
        """Open the next question (closing the current one); its index. InvalidRequest when none is left."""
        if self.index >= self.total - 1:
            raise InvalidRequest("teacher.live_over")
        self.open = True
        self.index += 1
        self.opened_at = now
        self.answers.append({})
        return self.index

    def close(self) -> bool:
        """Stop taking answers to the current question; False when it was already closed."""
        was_open = self.open
        self.open = False
        return was_open

    def check(self, index: int, learner_id: int, now: datetime) -> None:
        """Refuse an answer to a question that is not the open one, after its time, or a second one."""
        if index != self.index or not self.open:
            raise InvalidRequest("teacher.live_closed")
        assert self.opened_at is not None
        if now > self.opened_at + timedelta(seconds=self.seconds + GRACE_SECONDS):
            self.open = False
            raise InvalidRequest("teacher.live_closed")
        if learner_id in self.answers[index]:
            raise InvalidRequest("teacher.live_answered")

    def record(self, index: int, learner_id: int, name: str, answer: LiveAnswer) -> None:
        """Keep a learner's (checked and stored) answer."""
        self.names[learner_id] = name
        self.answers[index][learner_id] = answer

    def scores(self) -> dict[int, int]:
        """learner -> right answers so far."""
        totals: dict[int, int] = {}
        for answers in self.answers:
            for learner_id, answer in answers.items():
                totals[learner_id] = totals.get(learner_id, 0) + int(answer.correct)
        return totals

    def scoreboard(self) -> list[Standing]:
        """Everyone who answered, by right answers (ties share a rank), then name."""
        totals = self.scores()
        ordered = sorted(totals.items(), key=lambda item: (-item[1], self.names[item[0]].casefold(), item[0]))
        out: list[Standing] = []
        for index, (learner_id, score) in enumerate(ordered):
            rank = out[-1].rank if out and out[-1].score == score else index + 1
            out.append(Standing(rank, learner_id, self.names[learner_id], score))
        return out


def pick_questions(
    pool: Sequence[tuple[str, AnyQuestion]], count: int, rng: Callable[[list[int]], None]
) -> list[int]:
    """Indexes of `count` button-answerable questions of `pool`, shuffled by `rng` (shuffle in place)."""
    usable = [i for i, (_, question) in enumerate(pool) if answerable_by_button(question)]
    rng(usable)
    return usable[:count]


class LiveRecorder:
    """Writes live answers like quiz answers: a session per learner and game, answers, XP, review cards."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        review: ReviewService,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self._sessions = sessions
        self._review = review
        self.clock = clock

    async def answer(self, game: LiveGame, learner_id: int, name: str, index: int, given: str) -> LiveAnswer:
        """Grade and store a learner's answer to question `index` (checked first: refused, nothing is
        written); an answer the grader cannot read is refused the same way."""
        now = self.clock()
        game.check(index, learner_id, now)
        lesson_id, question = game.questions[index]
        result = grade(question, given)  # InvalidRequest for an answer that is no answer
        assert game.opened_at is not None
        seconds = max(0.0, (now - game.opened_at).total_seconds())
        async with self._sessions() as db, db.begin():
            await repository.ensure_learner(db, learner_id, name, now)
            session_id = game.sessions.get(learner_id)
            if session_id is None:
                session = QuizSession(
                    learner_id=learner_id,
                    guild_id=game.guild_id,
                    mode="live",
                    lesson_id=game.lesson_id,
                    questions=[[lid, q.id, 0] for lid, q in game.questions],
                    status=LIVE,
                    started_at=now,
                    shown_at=now,
                )
                db.add(session)
                await db.flush()
                session_id = session.id
            values = {
                "session_id": session_id,
                "learner_id": learner_id,
                "guild_id": game.guild_id,
                "position": index,
                "lesson_id": lesson_id,
                "question_id": question.id,
                "given": given,
                "correct": result.correct,
                "skipped": False,
                "seconds": seconds,
                "answered_at": now,
            }
            if not await repository.insert_ignore(db, QuizAnswer, values, ["session_id", "position"]):
                raise InvalidRequest("teacher.live_answered")  # a second click raced the first
            earned = xp.XP["correct_answer"] if result.correct else 0
            await db.execute(
                update(QuizSession)
                .where(QuizSession.id == session_id)
                .values(
                    position=index + 1,
                    correct=QuizSession.correct + int(result.correct),
                    xp=QuizSession.xp + earned,
                    shown_at=now,
                )
            )
            if result.correct:
                await xp.award(
                    db, learner_id, "correct_answer", now, ref=f"live:{game.id}", guild_id=game.guild_id
                )
            await self._review.record(
                db,
                learner_id,
                lesson_id,
                question.id,
                correct=result.correct,
                skipped=False,
                seconds=seconds,
                now=now,
            )
        game.sessions[learner_id] = session_id
        answer = LiveAnswer(learner_id, given, result.correct)
        game.record(index, learner_id, name, answer)
        return answer

    async def finish(self, game: LiveGame) -> None:
        """Mark every learner's session of the game finished."""
        if not game.sessions:
            return
        async with self._sessions() as db, db.begin():
            await db.execute(
                update(QuizSession)
                .where(QuizSession.id.in_(list(game.sessions.values())))
                .values(status=FINISHED, finished_at=self.clock())
            )
