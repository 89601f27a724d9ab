"""Database fixtures shared by tests/db, tests/quiz and tests/progress.

Each test gets a fresh database on every backend: a SQLite file under tmp_path, and on PostgreSQL
(when TUTOR_TEST_POSTGRES_URL is set, as `.ci/run` does) a schema of its own, dropped afterwards.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.content.schema import (
    CodeOutput,
    FreeText,
    MultipleChoice,
    Numeric,
    Question,
    QuizBank,
    TrueFalse,
)
from bot.db import engine as engine_module
from bot.db.engine import create_engine, session_factory, upgrade
from bot.quiz.bank import MemoryBank

POSTGRES_URL = os.environ.get("TUTOR_TEST_POSTGRES_URL")

BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param(
        "postgresql",
        id="postgresql",
        marks=[
            pytest.mark.postgres,
            pytest.mark.skipif(
                not POSTGRES_URL, reason="TUTOR_TEST_POSTGRES_URL is unset (.ci/run starts PostgreSQL)"
            ),
        ],
    ),
]


@dataclass
class Database:
    """One test database: its URL, how to open engines on it, and the engine the test uses."""

    backend: str
    url: str
    schema: str | None = None
    engines: list[AsyncEngine] = field(default_factory=list)

    def new_engine(self, **kwargs: Any) -> AsyncEngine:
        """A fresh engine on this database (PostgreSQL: confined to the test's schema)."""
        if self.schema is not None:
            kwargs["connect_args"] = {"server_settings": {"search_path": self.schema}}
        engine = create_engine(self.url, **kwargs)
        self.engines.append(engine)
        return engine

    async def migrate(self, engine: AsyncEngine | None = None) -> None:
        """Bring the database to the newest revision."""
        await upgrade(self.url, engine=engine or self.new_engine())


class Clock:
    """A controllable UTC clock for services."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2025, 3, 10, 6, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        """Move time forward."""
        self.now += timedelta(**delta)
        return self.now


@pytest.fixture(params=BACKENDS)
async def empty_db(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Database]:
    """A database with no tables, on each backend."""
    if request.param == "sqlite":
        db = Database("sqlite", f"sqlite+aiosqlite:///{tmp_path / 'data' / 'tutor.db'}")
        yield db
        for engine in db.engines:
            await engine.dispose()
        return
    assert POSTGRES_URL is not None
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL)
    async with admin.begin() as conn:
        await conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    db = Database("postgresql", POSTGRES_URL, schema=schema)
    try:
        yield db
    finally:
        for engine in db.engines:
            await engine.dispose()
        async with admin.begin() as conn:
            await conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        await admin.dispose()


@pytest.fixture
async def database(empty_db: Database) -> Database:
    """A migrated database, on each backend."""
    await empty_db.migrate()
    return empty_db


@pytest.fixture
def engine(database: Database) -> AsyncEngine:
    """The engine tests use on the migrated database."""
    return database.new_engine()


@pytest.fixture
def sessions(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions on the migrated database."""
    return session_factory(engine)


@pytest.fixture
def clock() -> Clock:
    """A controllable clock, starting on a Monday morning (UTC)."""
    return Clock()


def _text(en: str, hi: str) -> dict[str, str]:
    return {"en": en, "hi": hi}


def sample_banks() -> list[QuizBank]:
    """Two small quiz banks covering every question kind."""
    why = _text("Not this one.", "यह नहीं।")
    explain = _text("Because of the definition.", "परिभाषा की वजह से।")
    neuron = QuizBank.model_validate(
        {
            "lesson": "neuron",
            "questions": [
                {
                    "id": "neuron-mcq",
                    "section": "artificial",
                    "kind": "mcq",
                    "difficulty": "easy",
                    "prompt": _text("What does a neuron compute first?", "Neuron पहले क्या compute करता है?"),
                    "explanation": explain,
                    "options": [
                        {"id": "a", "text": _text("A weighted sum", "एक weighted sum")},
                        {
                            "id": "b",
                            "text": "A sort",
                            "why_wrong": _text("Sorting is not it.", "Sorting नहीं।"),
                        },
                        {"id": "c", "text": "A hash", "why_wrong": why},
                    ],
                    "answer": "a",
                },
                {
                    "id": "neuron-tf",
                    "section": "artificial",
                    "kind": "true_false",
                    "difficulty": "easy",
                    "prompt": _text("A bias shifts the output.", "Bias output को खिसकाता है।"),
                    "explanation": explain,
                    "answer": True,
                },
                {
                    "id": "neuron-num",
                    "section": "artificial",
                    "kind": "numeric",
                    "difficulty": "medium",
                    "prompt": _text("2*0.5 + 0.25 = ?", "2*0.5 + 0.25 कितना है?"),
                    "explanation": explain,
                    "answer": 1.25,
                    "tolerance": 0.01,
                    "formula": "2*0.5 + 0.25",
                },
                {
                    "id": "neuron-free",
                    "section": "artificial",
                    "kind": "free_text",
                    "difficulty": "medium",
                    "prompt": _text("Name the weighted input's extra term.", "Weighted input का extra term?"),
                    "explanation": explain,
                    "accept": ["bias", "बायस"],
                },
                {
                    "id": "neuron-code",
                    "section": "artificial",
                    "kind": "code_output",
                    "difficulty": "hard",
                    "prompt": _text("What does this print?", "यह क्या print करता है?"),
                    "explanation": explain,
                    "code": "print(max(0, -3))",
                    "options": [
                        {"id": "a", "text": "-3", "why_wrong": why},
                        {"id": "b", "text": "0"},
                    ],
                    "answer": "b",
                },
            ],
        }
    )
    activation = QuizBank.model_validate(
        {
            "lesson": "activation",
            "questions": [
                {
                    "id": "act-free",
                    "section": "sigmoid",
                    "kind": "free_text",
                    "difficulty": "easy",
                    "prompt": _text("Which activation squashes to (0, 1)?", "कौन सा activation (0, 1) में?"),
                    "explanation": explain,
                    "accept": ["sigmoid", "सिग्मॉइड"],
                },
                {
                    "id": "act-tf",
                    "section": "sigmoid",
                    "kind": "true_false",
                    "difficulty": "easy",
                    "prompt": _text("ReLU(-2) is 0.", "ReLU(-2) का मान 0 है।"),
                    "explanation": explain,
                    "answer": True,
                },
                {
                    "id": "act-num",
                    "section": "sigmoid",
                    "kind": "numeric",
                    "difficulty": "easy",
                    "prompt": _text("relu(3)?", "relu(3) कितना है?"),
                    "explanation": explain,
                    "answer": 3.0,
                    "tolerance": 0.001,
                    "formula": "relu(3)",
                },
            ],
        }
    )
    return [neuron, activation]


def right_answer(question: Question) -> str:
    """A correct typed answer for any sample question."""
    if isinstance(question, MultipleChoice | CodeOutput):
        return question.answer
    if isinstance(question, TrueFalse):
        return "true" if question.answer else "false"
    if isinstance(question, Numeric):
        return str(question.answer)
    assert isinstance(question, FreeText)
    return question.accept[0]


def wrong_answer(question: Question) -> str:
    """A wrong typed answer for any sample question."""
    if isinstance(question, MultipleChoice | CodeOutput):
        return next(o.id for o in question.options if o.id != question.answer)
    if isinstance(question, TrueFalse):
        return "false" if question.answer else "true"
    if isinstance(question, Numeric):
        return str(question.answer + 10 * question.tolerance + 1)
    return "something else entirely"


@pytest.fixture
def bank() -> MemoryBank:
    """The sample questions as a QuestionBank."""
    return MemoryBank(sample_banks())


@contextlib.contextmanager
def write_locked(path: Path, monkeypatch: pytest.MonkeyPatch, wait_ms: int = 50) -> Iterator[None]:
    """Another process's view of the SQLite file at `path`: it holds the write lock meanwhile; engines
    connecting from now on wait `wait_ms` for it (not the bot's 10 s) before SQLite says "locked"."""
    monkeypatch.setattr(engine_module, "SQLITE_BUSY_TIMEOUT_MS", wait_ms)
    holder = sqlite3.connect(path, isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")
        yield
    finally:
        holder.rollback()
        holder.close()
