"""Hot-path statements: SQLAlchemy Core, compiled once per dialect, run through a small `Tx` interface.

A unit of work (`bot.db.runner`) gets a `Tx`. On a SQLite file it is `SqliteTx`: the statement's SQL and
SQLAlchemy's own type processors (timestamps, JSON, booleans), applied to a plain sqlite3 cursor, so a
statement costs microseconds instead of SQLAlchemy's per-execution bookkeeping while storing exactly
what SQLAlchemy would. Elsewhere (PostgreSQL, in-memory SQLite) it is `CoreTx`, which hands the same
Core statement to a SQLAlchemy `Connection`. The unit's code is the same on both.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import Connection
from sqlalchemy.engine import Dialect
from sqlalchemy.sql import Executable

Params = Mapping[str, Any]
Processor = Callable[[Any], Any]


@dataclass(frozen=True)
class Compiled:
    """A statement's SQL for one dialect, how to order and convert its parameters and its result values."""

    sql: str
    binds: tuple[tuple[str, Any, Processor | None, bool], ...]  # (name, constant, processor, is constant)
    results: tuple[tuple[int, Processor], ...]  # result columns that need converting

    def parameters(self, params: Params) -> tuple[Any, ...]:
        """The positional parameters for `params` (KeyError names a missing one)."""
        values = []
        for name, constant, process, is_constant in self.binds:
            value = constant if is_constant else params[name]
            values.append(process(value) if process is not None else value)
        return tuple(values)

    def row(self, raw: tuple[Any, ...]) -> tuple[Any, ...]:
        """A result row with its values converted to Python objects."""
        if not self.results:
            return raw
        values = list(raw)
        for index, process in self.results:
            values[index] = process(values[index])
        return tuple(values)


class Statement:
    """A Core statement (or a function of the dialect name building one), compiled lazily per dialect."""

    def __init__(self, build: Executable | Callable[[str], Executable]) -> None:
        self._build = build
        self._core: dict[str, Executable] = {}
        self._compiled: dict[str, Compiled] = {}

    def core(self, dialect_name: str) -> Executable:
        """The Core statement for a dialect."""
        statement = self._core.get(dialect_name)
        if statement is None:
            statement = self._build if isinstance(self._build, Executable) else self._build(dialect_name)
            self._core[dialect_name] = statement
        return statement

    def compiled(self, dialect: Dialect) -> Compiled:
        """The statement compiled for `dialect` (a positional paramstyle), cached."""
        found = self._compiled.get(dialect.name)
        if found is None:
            found = self._compiled[dialect.name] = _compile(self.core(dialect.name), dialect)
        return found


def _compile(statement: Executable, dialect: Dialect) -> Compiled:
    compiled = statement.compile(dialect=dialect)  # type: ignore[attr-defined]
    if compiled.insert_prefetch or compiled.update_prefetch:
        # Python-side column defaults run in SQLAlchemy's execution context, which this path skips.
        names = [c.name for c in (*compiled.insert_prefetch, *compiled.update_prefetch)]
        raise ValueError(f"give these columns explicitly in a prepared statement: {names}")
    if compiled.positiontup is None:
        raise ValueError(f"prepared statements need a positional paramstyle, not {dialect.paramstyle}")
    binds = []
    for name in compiled.positiontup:
        bind = compiled.binds[name]
        process = bind.type.dialect_impl(dialect).bind_processor(dialect)
        is_constant = not bind.required and bind.callable is None
        binds.append((name, bind.value, process, is_constant))
    results = []
    for index, column in enumerate(getattr(statement, "exported_columns", ())):
        process = column.type.dialect_impl(dialect).result_processor(dialect, None)
        if process is not None:
            results.append((index, process))
    return Compiled(compiled.string, tuple(binds), tuple(results))


class Tx(Protocol):
    """One open transaction a unit of work runs in."""

    @property
    def dialect(self) -> str:
        """The dialect name: 'sqlite' or 'postgresql'."""
        ...

    def rows(self, statement: Statement, params: Params) -> list[tuple[Any, ...]]:
        """Every row the statement returns."""
        ...

    def first(self, statement: Statement, params: Params) -> tuple[Any, ...] | None:
        """The first row the statement returns, or None."""
        ...

    def run(self, statement: Statement, params: Params) -> int:
        """Execute a statement returning no rows; the number of rows it changed."""
        ...


class SqliteTx:
    """A `Tx` on a plain sqlite3 connection whose transaction the runner opened."""

    def __init__(self, connection: sqlite3.Connection, dialect: Dialect) -> None:
        self._connection = connection
        self._dialect = dialect

    @property
    def dialect(self) -> str:
        """'sqlite'."""
        return "sqlite"

    def rows(self, statement: Statement, params: Params) -> list[tuple[Any, ...]]:
        """Every row the statement returns."""
        compiled = statement.compiled(self._dialect)
        cursor = self._connection.execute(compiled.sql, compiled.parameters(params))
        return [compiled.row(raw) for raw in cursor.fetchall()]

    def first(self, statement: Statement, params: Params) -> tuple[Any, ...] | None:
        """The first row the statement returns, or None."""
        compiled = statement.compiled(self._dialect)
        cursor = self._connection.execute(compiled.sql, compiled.parameters(params))
        raw = cursor.fetchone()
        cursor.close()  # a RETURNING statement finishes only when its cursor is done
        return None if raw is None else compiled.row(raw)

    def run(self, statement: Statement, params: Params) -> int:
        """Execute a statement returning no rows; the number of rows it changed."""
        compiled = statement.compiled(self._dialect)
        return self._connection.execute(compiled.sql, compiled.parameters(params)).rowcount


class CoreTx:
    """A `Tx` on a SQLAlchemy `Connection` (PostgreSQL, in-memory SQLite) inside an open transaction."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection
        self._dialect = connection.dialect.name

    @property
    def dialect(self) -> str:
        """The dialect name."""
        return self._dialect

    def rows(self, statement: Statement, params: Params) -> list[tuple[Any, ...]]:
        """Every row the statement returns."""
        result = self._connection.execute(statement.core(self._dialect), dict(params))
        return [tuple(row) for row in result.all()]

    def first(self, statement: Statement, params: Params) -> tuple[Any, ...] | None:
        """The first row the statement returns, or None."""
        result = self._connection.execute(statement.core(self._dialect), dict(params))
        row = result.first()
        return None if row is None else tuple(row)

    def run(self, statement: Statement, params: Params) -> int:
        """Execute a statement returning no rows; the number of rows it changed."""
        result = self._connection.execute(statement.core(self._dialect), dict(params))
        return int(result.rowcount)
