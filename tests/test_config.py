"""The shard settings: TUTOR_SHARD_COUNT and TUTOR_SHARD_IDS are read as given or refused with a line
that names the setting; nothing is reinterpreted, and without them one process runs every shard."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.config import Settings, refused_settings
from bot.paths import PROJECT_ROOT


def settings_from(monkeypatch: pytest.MonkeyPatch, **env: str) -> Settings:
    """Settings read from exactly these shard variables (and no .env file)."""
    for name in ("TUTOR_SHARD_COUNT", "TUTOR_SHARD_IDS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return Settings(_env_file=None)  # type: ignore[call-arg]


def refusal(monkeypatch: pytest.MonkeyPatch, **env: str) -> str:
    """What the operator reads when these shard variables are refused."""
    with pytest.raises(ValidationError) as refused:
        settings_from(monkeypatch, **env)
    return str(refused_settings(refused.value))


def test_without_shard_settings_one_process_runs_every_shard(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = settings_from(monkeypatch)
    assert settings.shard_count is None and settings.shard_ids is None
    assert settings.runs_shard_zero


def test_blank_shard_settings_count_as_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = settings_from(monkeypatch, TUTOR_SHARD_COUNT=" ", TUTOR_SHARD_IDS="")
    assert settings.shard_count is None and settings.shard_ids is None


def test_shard_ids_are_read_from_a_comma_separated_list(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = settings_from(monkeypatch, TUTOR_SHARD_COUNT="4", TUTOR_SHARD_IDS="2, 3")
    assert settings.shard_count == 4 and settings.shard_ids == [2, 3]
    assert not settings.runs_shard_zero
    assert settings_from(monkeypatch, TUTOR_SHARD_COUNT="4", TUTOR_SHARD_IDS="3,0").runs_shard_zero


def test_a_count_alone_runs_all_of_its_shards(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = settings_from(monkeypatch, TUTOR_SHARD_COUNT="2")
    assert settings.shard_count == 2 and settings.shard_ids is None and settings.runs_shard_zero


def test_shard_ids_without_a_count_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    said = refusal(monkeypatch, TUTOR_SHARD_IDS="0,1")
    assert "TUTOR_SHARD_IDS=0,1 needs TUTOR_SHARD_COUNT" in said


def test_a_shard_beyond_the_count_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    said = refusal(monkeypatch, TUTOR_SHARD_COUNT="2", TUTOR_SHARD_IDS="1,2")
    assert "names shard 2, but TUTOR_SHARD_COUNT=2 has shards 0..1" in said


@pytest.mark.parametrize("count", ["0", "-1", "two", "1.5"])
def test_a_count_below_one_or_not_a_whole_number_is_refused(
    monkeypatch: pytest.MonkeyPatch, count: str
) -> None:
    said = refusal(monkeypatch, TUTOR_SHARD_COUNT=count)
    assert said.splitlines()[1].strip().startswith("TUTOR_SHARD_COUNT: ")


@pytest.mark.parametrize("ids", ["0,,1", "0;1", "-1", "1,x", "0 1", "[0, 1]"])
def test_shard_ids_that_are_not_a_list_of_numbers_are_refused(
    monkeypatch: pytest.MonkeyPatch, ids: str
) -> None:
    said = refusal(monkeypatch, TUTOR_SHARD_COUNT="4", TUTOR_SHARD_IDS=ids)
    assert (
        f"TUTOR_SHARD_IDS: shard numbers separated by commas, like 0,1, were expected (got {ids!r})" in said
    )


def test_a_shard_named_twice_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    assert "names a shard twice" in refusal(monkeypatch, TUTOR_SHARD_COUNT="4", TUTOR_SHARD_IDS="1,1")


def test_an_empty_list_of_ids_given_in_code_is_refused() -> None:
    with pytest.raises(ValidationError, match="names no shard"):
        Settings(_env_file=None, shard_count=2, shard_ids=[])  # type: ignore[call-arg]


@pytest.mark.slow
def test_the_bot_refuses_to_start_with_bad_shard_settings(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TUTOR_") and k != "DISCORD_TOKEN"}
    env.update({"PYTHONPATH": str(PROJECT_ROOT), "DISCORD_TOKEN": "FAKE.never-used.token"})
    env.update({"TUTOR_SHARD_COUNT": "2", "TUTOR_SHARD_IDS": "2"})
    done = subprocess.run(
        [sys.executable, "-m", "bot"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "refused settings:",
        "  TUTOR_SHARD_IDS=2 names shard 2, but TUTOR_SHARD_COUNT=2 has shards 0..1",
    ]
    assert "Traceback" not in done.stderr and "FAKE.never-used.token" not in done.stdout + done.stderr
