"""Engines, sessions and migrations, built at start-up from the database URL (never at import)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import event, inspect, text
from sqlalchemy import exc as sqlalchemy_exc
from sqlalchemy.engine import Connection, Dialect, ExceptionContext, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.pool import AsyncAdaptedQueuePool, StaticPool

from bot.errors import Unavailable
from bot.log import get_logger
from bot.paths import PROJECT_ROOT

log = get_logger(__name__)

ALEMBIC_INI = PROJECT_ROOT / "alembic.ini"
ALEMBIC_DIR = PROJECT_ROOT / "alembic"
# the newest revision under alembic/versions (tests/db/test_migrations.py checks it against Alembic's head):
# a start compares it with the stored one instead of loading Alembic
HEAD_REVISION = "0005"
SQLITE_BUSY_TIMEOUT_MS = 10_000


class DatabaseUnavailable(RuntimeError):
    """The database could not be opened or migrated; the message is one line with the password masked."""


SQLITE_CORRUPT = 11


def quick_check_problem(run: Callable[[str], Sequence[Any]]) -> str | None:
    """The first problem SQLite's `PRAGMA quick_check` finds, run through `run(sql) -> rows`; None when
    it answers "ok". A check that stops at a damaged page (SQLITE_CORRUPT) names that as the problem."""
    try:
        rows = run("PRAGMA quick_check")
    except Exception as exc:
        driver = getattr(exc, "orig", None) or exc  # SQLAlchemy wraps the driver's error
        if getattr(driver, "sqlite_errorcode", 0) & 0xFF != SQLITE_CORRUPT:
            raise
        return next((line.strip() for line in str(driver).splitlines() if line.strip()), "corrupt")
    lines = [line.strip() for row in rows for line in str(row[0]).splitlines()]
    problems = [line for line in lines if line and line != "ok" and not line.startswith("***")]
    if not problems:
        return None
    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
    return problems[0] + more


def masked_url(url: str) -> str:
    """`url` with its password replaced by ***, also when SQLAlchemy cannot parse it."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # an unparsable URL still must not show its password
        return re.sub(r"(://[^:/@]*:)[^@]*@", r"\1***@", url)


def describe_failure(action: str, url: str, exc: BaseException) -> str:
    """One line for an operator: what failed, where (password masked) and the error's first line."""
    detail = next((line.strip() for line in str(exc).splitlines() if line.strip()), "")
    detail = detail.replace(url, masked_url(url))
    try:
        password = make_url(url).password
    except Exception:
        password = None
    if password:
        detail = detail.replace(str(password), "***")
    detail = re.sub(r"(://[^:/@\s]*:)[^@\s]*@", r"\1***@", detail)
    return f"{action} {masked_url(url)}: {type(exc).__name__}" + (f": {detail}" if detail else "")


# SQLite result codes (the low byte of the extended code) that say "busy or broken, not your request":
# BUSY and LOCKED (a lock wait that ran out), NOMEM, IOERR, FULL (the disk or max_page_count), CANTOPEN
_SQLITE_UNAVAILABLE = {
    5: "busy",
    6: "locked",
    7: "out of memory",
    10: "I/O error",
    13: "full",
    14: "cannot open",
}
# PostgreSQL SQLSTATE classes: 08 connection exception, 53 insufficient resources (disk full, too many
# connections), 57 operator intervention (shutdown, statement or lock timeout), and 55P03 lock not available
_POSTGRES_UNAVAILABLE = ("08", "53", "57", "55P03")


def unavailable_reason(exc: BaseException) -> str | None:
    """Why `exc` (a driver's error) means the database is unavailable, locked or full; None when it is a
    fault of the statement or the data, which a retry would not cure."""
    code = getattr(exc, "sqlite_errorcode", None)
    if isinstance(code, int):
        kind = _SQLITE_UNAVAILABLE.get(code & 0xFF)
        return f"SQLite {kind}" if kind else None
    state = getattr(exc, "sqlstate", None) or getattr(exc, "pgcode", None)
    if isinstance(state, str):
        return f"SQLSTATE {state}" if state.startswith(_POSTGRES_UNAVAILABLE) else None
    return "no connection" if isinstance(exc, OSError) else None


def _as_unavailable(context: ExceptionContext) -> BaseException | None:
    """SQLAlchemy's error hook: a database that is locked, full or gone becomes `Unavailable` (one
    bilingual "try again in a moment" in every front door); the detail goes to the log."""
    original = context.original_exception
    if not isinstance(original, Exception):  # a cancelled task or Ctrl-C stays what it is
        return None
    reason = "connection lost" if context.is_disconnect else unavailable_reason(original)
    if reason is None:
        return None
    detail = next((line.strip() for line in str(original).splitlines() if line.strip()), "")
    log.warning("database unavailable (%s): %s: %s", reason, type(original).__name__, detail)
    return Unavailable("database_unavailable")


class _UnavailableWhenFull(AsyncAdaptedQueuePool):
    """The connection pool; a wait for a free connection that runs past `pool_timeout` (every connection
    busy, e.g. behind SQLite's one writer) is `Unavailable` too, not SQLAlchemy's TimeoutError."""

    def _do_get(self) -> Any:
        try:
            return super()._do_get()
        except sqlalchemy_exc.TimeoutError as exc:
            log.warning("database unavailable (no free connection): %s", exc)
            raise Unavailable("database_unavailable") from exc


def _connect(dialect: Dialect, _record: Any, cargs: Any, cparams: Any) -> Any:
    """Connect as SQLAlchemy would; a server that refuses or does not answer is `Unavailable` too (the
    driver raises a plain OSError there, which SQLAlchemy's error hook never sees)."""
    try:
        return dialect.connect(*cargs, **cparams)
    except OSError as exc:
        log.warning("database unavailable (no connection): %s: %s", type(exc).__name__, exc)
        raise Unavailable("database_unavailable") from exc


def is_sqlite(url: str) -> bool:
    """True when `url` names a SQLite database."""
    return make_url(url).get_backend_name() == "sqlite"


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite URL; None for an in-memory database."""
    database = make_url(url).database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database)


def create_engine(url: str, *, unavailable: bool = True, **kwargs: Any) -> AsyncEngine:
    """An async engine for `url`; SQLite gets WAL, foreign keys and a busy timeout, and its folder. With
    `unavailable`, a database that is locked, full or unreachable, or a wait for a pooled connection past
    `pool_timeout`, raises `Unavailable` (`_as_unavailable`, `_UnavailableWhenFull`); migrations keep the
    driver's error, whose detail their one line for the operator shows."""
    if unavailable and not (is_sqlite(url) and sqlite_path(url) is None):  # in memory: one static connection
        kwargs.setdefault("poolclass", _UnavailableWhenFull)
    if not is_sqlite(url):
        engine = create_async_engine(url, pool_pre_ping=True, **kwargs)
        if unavailable:
            event.listen(engine.sync_engine, "do_connect", _connect)
            event.listen(engine.sync_engine, "handle_error", _as_unavailable)
        return engine
    path = sqlite_path(url)
    if path is None:
        # In-memory: every session must see the same single connection.
        kwargs.setdefault("poolclass", StaticPool)
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        # SQLite has one writer at a time. One pooled connection queues writers fairly inside the
        # process (an asyncio wait) instead of SQLite's sleeping busy handler or "database is locked";
        # another process (the console, `db upgrade`) waits for the lock up to SQLITE_BUSY_TIMEOUT_MS.
        kwargs.setdefault("pool_size", 1)
        kwargs.setdefault("max_overflow", 0)
        kwargs.setdefault("pool_timeout", 60)
    engine = create_async_engine(url, **kwargs)
    event.listen(engine.sync_engine, "connect", sqlite_pragmas)
    if unavailable:
        event.listen(engine.sync_engine, "handle_error", _as_unavailable)
    return engine


def sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """WAL, foreign keys and a busy timeout on every new SQLite connection."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    # In WAL mode NORMAL is durable across application crashes; only a power cut may lose the last commits.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions whose objects stay readable after commit."""
    return async_sessionmaker(engine, expire_on_commit=False)


def alembic_config(url: str) -> Any:
    """The Alembic configuration of this project, pointed at `url`."""
    from alembic.config import Config

    config = Config(str(ALEMBIC_INI))
    config.set_main_option("script_location", str(ALEMBIC_DIR))
    # ConfigParser interpolates '%': a password may contain one.
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def _run_command(connection: Connection, url: str, command_name: str, revision: str) -> None:
    from alembic import command

    config = alembic_config(url)
    config.attributes["connection"] = connection
    getattr(command, command_name)(config, revision)


def stored_revision(connection: Connection) -> str | None:
    """The revision recorded in the database's `alembic_version`; None when it has none."""
    if not inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


async def upgrade(url: str, revision: str = "head", engine: AsyncEngine | None = None) -> None:
    """Migrate the database at `url` to `revision`."""
    await _migrate(url, "upgrade", revision, engine)


async def upgrade_when_behind(url: str, engine: AsyncEngine | None = None) -> bool:
    """Migrate the database at `url` to the newest revision unless it is there already (the bot calls
    this on start: reading one row costs far less than loading Alembic); True when it migrated."""
    return await _migrate(url, "upgrade", "head", engine, unless_at=HEAD_REVISION)


async def downgrade(url: str, revision: str = "base", engine: AsyncEngine | None = None) -> None:
    """Migrate the database at `url` down to `revision`."""
    await _migrate(url, "downgrade", revision, engine)


async def _migrate(
    url: str, command_name: str, revision: str, engine: AsyncEngine | None, *, unless_at: str | None = None
) -> bool:
    """Run an Alembic command, unless the stored revision is `unless_at`; True when it ran. Any failure
    to reach or migrate the database is a DatabaseUnavailable."""
    try:
        own = engine is None
        engine = engine or create_engine(url, unavailable=False)
        try:
            async with engine.begin() as conn:
                if is_sqlite(url):  # migrating a damaged file would build on garbage
                    problem = await conn.run_sync(
                        lambda sync: quick_check_problem(lambda sql: sync.exec_driver_sql(sql).all())
                    )
                    if problem is not None:
                        raise DatabaseUnavailable(
                            f"the database {masked_url(url)} is damaged (PRAGMA quick_check: {problem}); "
                            "restore it from a backup"
                        )
                if unless_at is not None and await conn.run_sync(stored_revision) == unless_at:
                    return False
                await conn.run_sync(_run_command, url, command_name, revision)
                return True
        finally:
            if own:
                await engine.dispose()
    except DatabaseUnavailable:
        raise
    except Exception as exc:  # unreachable, bad URL, missing driver, unwritable folder, failed migration
        log.debug("database %s failed", command_name, exc_info=True)
        message = describe_failure(f"cannot {command_name} the database", url, exc)
        raise DatabaseUnavailable(message) from exc
