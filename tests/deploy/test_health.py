"""`python -m bot health`: the database must answer; with a token, the bot's heartbeat must be fresh; with a
broker, it must answer and a training worker must be alive."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import redis
from pydantic import SecretStr

from bot.cli.health import check
from bot.config import Settings
from bot.db.engine import quick_check_problem, upgrade
from bot.heartbeat import STALE_SECONDS as HEARTBEAT_STALE_SECONDS
from bot.heartbeat import heartbeat_age, write_heartbeat
from bot.paths import PROJECT_ROOT
from bot.training.queue import ALIVE_SECONDS, WORKERS_KEY, Beat
from tests.training.redis_server import REDIS_SERVER, redis_server


def _settings(tmp_path: Path, **changes: object) -> Settings:
    """Settings over a migrated SQLite database in `tmp_path` (a health check never creates one)."""
    base = Settings(_env_file=None)
    url = f"sqlite+aiosqlite:///{tmp_path / 'tutor.db'}"
    if not (tmp_path / "tutor.db").exists():
        asyncio.run(upgrade(url))
    values: dict[str, object] = {"database_url": url, "heartbeat_file": tmp_path / "heartbeat.json"}
    values.update(changes)
    return base.model_copy(update=values)


def _env(tmp_path: Path, **changes: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DISCORD_TOKEN", "TUTOR_DISCORD_TOKEN")}
    env.update({"PYTHONPATH": str(PROJECT_ROOT), **changes})
    return env


def _bot(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=tmp_path,
        env=_env(tmp_path, **env),
        capture_output=True,
        text=True,
    )


def test_healthy_without_a_token_when_the_database_answers(tmp_path: Path) -> None:
    assert check(_settings(tmp_path)) is None


def test_unhealthy_when_the_database_does_not_answer(tmp_path: Path) -> None:
    reason = check(_settings(tmp_path, database_url="postgresql+asyncpg://tutor:x@127.0.0.1:1/none"))
    assert reason is not None and reason.startswith("database does not answer")


def test_with_a_token_a_missing_heartbeat_is_unhealthy(tmp_path: Path) -> None:
    reason = check(_settings(tmp_path, discord_token=SecretStr("t" * 20)))
    assert reason is not None and "no heartbeat" in reason


def test_with_a_token_a_fresh_heartbeat_is_healthy(tmp_path: Path) -> None:
    settings = _settings(tmp_path, discord_token=SecretStr("t" * 20))
    write_heartbeat(settings.heartbeat_file, latency=0.05, guilds=1)
    age = heartbeat_age(settings.heartbeat_file)
    assert age is not None and age < HEARTBEAT_STALE_SECONDS
    assert check(settings) is None


def test_with_a_token_a_stale_heartbeat_is_unhealthy(tmp_path: Path) -> None:
    settings = _settings(tmp_path, discord_token=SecretStr("t" * 20))
    old = time.time() - HEARTBEAT_STALE_SECONDS - 60
    settings.heartbeat_file.write_text(json.dumps({"time": old}), encoding="utf-8")
    reason = check(settings)
    assert reason is not None and "old" in reason


def test_a_corrupt_heartbeat_reads_as_none(tmp_path: Path) -> None:
    path = tmp_path / "heartbeat.json"
    path.write_text("{not json", encoding="utf-8")
    assert heartbeat_age(path) is None


def test_the_health_command_exit_codes(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DISCORD_TOKEN", "TUTOR_DISCORD_TOKEN")}
    env.update({"PYTHONPATH": str(PROJECT_ROOT), "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 't.db'}"})
    upgraded = subprocess.run([sys.executable, "-m", "bot", "db", "upgrade"], cwd=tmp_path, env=env)
    assert upgraded.returncode == 0
    ok = subprocess.run([sys.executable, "-m", "bot", "health"], cwd=tmp_path, env=env, capture_output=True)
    assert ok.returncode == 0, ok.stderr
    env["DISCORD_TOKEN"] = "x" * 30
    env["TUTOR_HEARTBEAT_FILE"] = str(tmp_path / "missing.json")
    bad = subprocess.run(
        [sys.executable, "-m", "bot", "health"], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert bad.returncode == 1
    assert bad.stderr.startswith("unhealthy: no heartbeat")


def test_health_creates_nothing_for_a_missing_sqlite_file(tmp_path: Path) -> None:
    missing = tmp_path / "no" / "such" / "dir" / "x.db"
    result = _bot(tmp_path, "health", DATABASE_URL=f"sqlite+aiosqlite:///{missing}")
    assert result.returncode == 1
    assert result.stderr.startswith("unhealthy: database file") and "does not exist" in result.stderr
    assert not (tmp_path / "no").exists()


def test_health_refuses_an_empty_and_a_corrupt_file_and_leaves_them_alone(tmp_path: Path) -> None:
    empty, corrupt = tmp_path / "empty.db", tmp_path / "corrupt.db"
    empty.touch()
    corrupt.write_bytes(b"not a database at all")
    assert "not migrated" in str(check(_settings(tmp_path, database_url=f"sqlite+aiosqlite:///{empty}")))
    assert "does not answer" in str(check(_settings(tmp_path, database_url=f"sqlite+aiosqlite:///{corrupt}")))
    assert empty.read_bytes() == b""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corrupt.db", "empty.db", "tutor.db"]


def test_a_healthy_check_leaves_no_wal_files_behind(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    before = sorted(p.name for p in tmp_path.iterdir())
    assert check(settings) is None
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_an_empty_token_is_no_token(tmp_path: Path) -> None:
    settings = _settings(tmp_path, discord_token=SecretStr("  "))
    assert not settings.has_token
    assert check(settings) is None  # no heartbeat is asked of a bot that cannot log in
    assert _settings(tmp_path, discord_token=SecretStr("t" * 20)).has_token
    db = f"sqlite+aiosqlite:///{tmp_path / 'tutor.db'}"
    result = _bot(tmp_path, "health", DATABASE_URL=db, DISCORD_TOKEN="", TUTOR_HEARTBEAT_FILE="missing.json")
    assert (result.returncode, result.stdout.strip()) == (0, "healthy"), result.stderr


def test_an_unreachable_database_is_one_line_with_the_password_masked(tmp_path: Path) -> None:
    url = "postgresql+asyncpg://tutor:s3cr3t-pw@127.0.0.1:1/tutor"
    runs = [(["db", "upgrade"], {}), (["console"], {}), (["health"], {}), ([], {"DISCORD_TOKEN": "x" * 30})]
    for args, extra in runs:  # the last one fails at migration, before anything contacts Discord
        result = _bot(tmp_path, *args, DATABASE_URL=url, **extra)
        assert result.returncode == 1, (args, result.stderr)
        assert "Traceback" not in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
        assert "s3cr3t-pw" not in result.stderr + result.stdout
        assert "tutor:***@127.0.0.1:1/tutor" in result.stderr


def test_an_invalid_database_url_is_one_line(tmp_path: Path) -> None:
    result = _bot(tmp_path, "db", "upgrade", DATABASE_URL="nosuchdialect://admin:hunter2@db/x")
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "hunter2" not in result.stderr
    assert result.stderr.startswith("cannot upgrade the database nosuchdialect://admin:***@db/x")


def test_db_upgrade_into_an_unwritable_place_is_one_line(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file where a folder should be", encoding="utf-8")
    result = _bot(tmp_path, "db", "upgrade", DATABASE_URL=f"sqlite+aiosqlite:///{blocker / 'x.db'}")
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


def _damage(path: Path) -> None:
    """Fill a table over many pages, then break the cell pointers of one of its leaf pages: SELECT 1 and
    the migrations, which never read that page, still work; only an integrity check notices."""
    with contextlib.closing(sqlite3.connect(path)) as db:
        db.execute("CREATE TABLE filler (id INTEGER PRIMARY KEY, value TEXT)")
        db.executemany("INSERT INTO filler (value) VALUES (?)", [(f"value {i}" * 3,) for i in range(2000)])
        db.commit()
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        size = db.execute("PRAGMA page_size").fetchone()[0]
        root = db.execute("SELECT rootpage FROM sqlite_master WHERE name = 'filler'").fetchone()[0]
    data = bytearray(path.read_bytes())
    leaf = next(n for n in range(root + 1, len(data) // size) if data[n * size] == 0x0D)  # table leaf
    data[leaf * size + 8 : leaf * size + 40] = b"\xff" * 32  # cell offsets past the page's end
    path.write_bytes(bytes(data))
    with contextlib.closing(sqlite3.connect(path)) as db:
        assert db.execute("SELECT 1").fetchone() == (1,)  # all the old health check asked


def test_health_and_db_upgrade_fail_a_damaged_file(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    _damage(tmp_path / "tutor.db")
    reason = check(settings)
    assert reason is not None and "is damaged (PRAGMA quick_check: " in reason
    result = _bot(tmp_path, "db", "upgrade", DATABASE_URL=settings.database_url)
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert "is damaged (PRAGMA quick_check: " in result.stderr


def test_a_quick_check_that_stops_at_a_damaged_page_is_a_problem_and_other_errors_pass_through() -> None:
    def stops(sql: str) -> list[Any]:
        error = sqlite3.DatabaseError("database disk image is malformed")
        error.sqlite_errorcode = 11  # type: ignore[attr-defined]  # SQLITE_CORRUPT, as SQLite sets it
        raise error

    def locked(sql: str) -> list[Any]:
        error = sqlite3.OperationalError("database is locked")
        error.sqlite_errorcode = 5  # type: ignore[attr-defined]
        raise error

    assert quick_check_problem(stops) == "database disk image is malformed"
    assert quick_check_problem(lambda sql: [("ok",)]) is None
    assert quick_check_problem(lambda sql: [("*** in database main ***\nPage 4: bad\nPage 5: bad",)]) == (
        "Page 4: bad (and 1 more)"
    )
    with pytest.raises(sqlite3.OperationalError):
        quick_check_problem(locked)


def test_with_a_broker_that_does_not_answer_the_queue_is_named_without_its_password(tmp_path: Path) -> None:
    reason = check(_settings(tmp_path, broker_url="redis://:hunter2@127.0.0.1:1/0"))
    assert reason is not None and reason.startswith("the job queue's broker does not answer (127.0.0.1:1/0)")
    assert "hunter2" not in reason


@pytest.mark.skipif(
    REDIS_SERVER is None and os.environ.get("TUTOR_REQUIRE_REDIS") != "1",
    reason="redis-server is not installed (apt-get install redis-server; .ci/run does)",
)
def test_with_a_broker_health_needs_a_training_worker_alive(tmp_path: Path) -> None:
    with redis_server() as url:
        settings = _settings(tmp_path, broker_url=url)
        reason = check(settings)
        assert reason is not None and "no training worker is alive" in reason
        client = redis.Redis.from_url(url)
        try:
            client.hset(WORKERS_KEY, "p1", Beat(124, "host", "picture", time.time()).entry())
            reason = check(settings)  # a picture worker alone trains nothing
            assert reason is not None and "no training worker is alive" in reason
            client.hset(WORKERS_KEY, "w1", Beat(123, "host", "training", time.time()).entry())
            assert check(settings) is None
            died = time.time() - ALIVE_SECONDS - 1
            client.hset(WORKERS_KEY, "w1", Beat(123, "host", "training", died).entry())
            reason = check(settings)
            assert reason is not None and "no training worker is alive" in reason
        finally:
            client.close()
