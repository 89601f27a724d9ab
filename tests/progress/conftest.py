"""Fixtures: a fresh database per test on SQLite and (when configured) PostgreSQL, sample questions."""

from tests.db.support import bank, clock, database, empty_db, engine, sessions

__all__ = ["bank", "clock", "database", "empty_db", "engine", "sessions"]
