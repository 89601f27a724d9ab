"""`python -m bot health`: the database must answer; with a token, the bot's heartbeat must be fresh."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from pydantic import SecretStr

from bot.app import HEARTBEAT_STALE_SECONDS, heartbeat_age, write_heartbeat
from bot.cli.health import check
from bot.config import Settings
from bot.paths import PROJECT_ROOT


def _settings(tmp_path: Path, **changes: object) -> Settings:
    base = Settings(_env_file=None)  # type: ignore[call-arg]
    values: dict[str, object] = {
        "database_url": f"sqlite+aiosqlite:///{tmp_path / 'tutor.db'}",
        "heartbeat_file": tmp_path / "heartbeat.json",
    }
    values.update(changes)
    return base.model_copy(update=values)


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
    ok = subprocess.run([sys.executable, "-m", "bot", "health"], cwd=tmp_path, env=env, capture_output=True)
    assert ok.returncode == 0, ok.stderr
    env["DISCORD_TOKEN"] = "x" * 30
    env["TUTOR_HEARTBEAT_FILE"] = str(tmp_path / "missing.json")
    bad = subprocess.run(
        [sys.executable, "-m", "bot", "health"], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert bad.returncode == 1
    assert bad.stderr.startswith("unhealthy: no heartbeat")
